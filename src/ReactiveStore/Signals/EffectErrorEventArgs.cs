using System;

namespace ReactiveStore.Signals;

/// <summary>Describes an exception thrown by an effect during a flush.</summary>
public sealed class EffectErrorEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public EffectErrorEventArgs(Effect effect, Exception exception)
    {
        Effect = effect;
        Exception = exception;
    }

    /// <summary>The effect that threw.</summary>
    public Effect Effect { get; }

    /// <summary>The exception it threw.</summary>
    public Exception Exception { get; }
}
