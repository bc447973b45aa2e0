using System;

namespace ReactiveStore.Signals;

/// <summary>
/// Unwinds a first evaluation that nested too deeply (a long chain of computeds read for the first time)
/// back to the outermost read, which evaluates <see cref="Node"/> first and then retries. This keeps the
/// stack depth bounded whatever the graph depth. Never escapes the engine.
/// </summary>
internal sealed class DeferredEvaluation : Exception
{
    public DeferredEvaluation(ReactiveNode node)
        : base("Deferred evaluation (internal to the signals engine).")
    {
        Node = node;
    }

    public DeferredEvaluation()
    {
        Node = null!;
    }

    public DeferredEvaluation(string message)
        : base(message)
    {
        Node = null!;
    }

    public DeferredEvaluation(string message, Exception innerException)
        : base(message, innerException)
    {
        Node = null!;
    }

    public ReactiveNode Node { get; }
}
