namespace ReactiveStore.Signals;

/// <summary>State bits of a <see cref="ReactiveNode"/>; plain ints so the hot loops need no casts.</summary>
internal static class NodeFlags
{
    /// <summary>A signal or computed: something others can depend on.</summary>
    public const int Mutable = 1 << 0;

    /// <summary>An effect: a leaf that is queued when something it read changes.</summary>
    public const int Watching = 1 << 1;

    /// <summary>The node is running its computation or effect body right now.</summary>
    public const int RecursedCheck = 1 << 2;

    /// <summary>The node was notified while it was running (a write inside its own run).</summary>
    public const int Recursed = 1 << 3;

    /// <summary>The node must re-run (computed/effect) or has a write not yet seen by its subscribers (signal).</summary>
    public const int Dirty = 1 << 4;

    /// <summary>Something upstream may have changed; re-validate before trusting the cached value.</summary>
    public const int Pending = 1 << 5;

    /// <summary>The effect is in the flush queue.</summary>
    public const int Queued = 1 << 6;

    /// <summary>The effect or computed was disposed.</summary>
    public const int Disposed = 1 << 7;

    /// <summary>
    /// The node's dependency links are also in its dependencies' subscriber lists, so writes reach it by push:
    /// every effect, every signal (a source has nothing to subscribe to), and a computed only while something
    /// observes it. An unsubscribed computed holds forward links only and re-validates by versions when read.
    /// </summary>
    public const int Subscribed = 1 << 8;
}
