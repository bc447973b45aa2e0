using System;
using System.Diagnostics.CodeAnalysis;

namespace ReactiveStore.Signals;

/// <summary>Batching, untracked reads and error reporting for the signals engine.</summary>
[SuppressMessage("Naming", "CA1724:Type names should not match namespaces", Justification = "SPEC section 5 names the type Signals.")]
public static class Signals
{
    /// <summary>
    /// Raised when an effect throws while re-running after a write or batch. Other effects keep running.
    /// With no handler the exception is dropped; exceptions thrown by handlers are ignored.
    /// </summary>
    /// <remarks>Raised synchronously on the writing thread, under the engine lock.</remarks>
    public static event EventHandler<EffectErrorEventArgs>? EffectFailed;

    /// <summary>Runs <paramref name="action"/> as one batch: effects run once, when the outermost batch ends.</summary>
    /// <remarks>Holds the engine lock for the whole batch, so reads inside it see one consistent state.</remarks>
    public static void Batch(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        bool taken = SignalGraph.Enter();
        try
        {
            SignalGraph.BeginBatch();
            try
            {
                action();
            }
            finally
            {
                SignalGraph.EndBatch();
            }
        }
        finally
        {
            if (taken)
            {
                SignalGraph.Exit();
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with <paramref name="state"/> as one batch, without a closure.</summary>
    public static void Batch<TState>(TState state, Action<TState> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        bool taken = SignalGraph.Enter();
        try
        {
            SignalGraph.BeginBatch();
            try
            {
                action(state);
            }
            finally
            {
                SignalGraph.EndBatch();
            }
        }
        finally
        {
            if (taken)
            {
                SignalGraph.Exit();
            }
        }
    }

    /// <summary>Evaluates <paramref name="read"/> without making what it reads a dependency of the running computed or effect.</summary>
    public static T Untracked<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        bool taken = SignalGraph.Enter();
        try
        {
            ReactiveNode? previous = SignalGraph.s_activeSub;
            SignalGraph.s_activeSub = null;
            try
            {
                return read();
            }
            finally
            {
                SignalGraph.s_activeSub = previous;
            }
        }
        finally
        {
            if (taken)
            {
                SignalGraph.Exit();
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> without making what it reads a dependency of the running computed or effect.</summary>
    public static void Untracked(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        bool taken = SignalGraph.Enter();
        try
        {
            ReactiveNode? previous = SignalGraph.s_activeSub;
            SignalGraph.s_activeSub = null;
            try
            {
                action();
            }
            finally
            {
                SignalGraph.s_activeSub = previous;
            }
        }
        finally
        {
            if (taken)
            {
                SignalGraph.Exit();
            }
        }
    }

    internal static void OnEffectFailed(Effect effect, Exception exception)
    {
        EventHandler<EffectErrorEventArgs>? handler = EffectFailed;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(effect, new EffectErrorEventArgs(effect, exception));
        }
        catch (Exception)
        {
            // A failing handler must not stop the flush (documented on EffectFailed).
        }
    }
}
