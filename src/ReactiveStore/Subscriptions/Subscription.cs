namespace ReactiveStore;

/// <summary>A live subscription to a store; dispose it to stop delivery.</summary>
/// <remarks>Disposing is idempotent and safe from any thread, including from inside the subscription's own callback.
/// A callback already running on another thread finishes; no further callback starts.</remarks>
public abstract class Subscription : IDisposable
{
    private readonly StateStore _store;
    private int _disposed;

    private protected Subscription(StateStore store, long id, PathSelector selector, bool bubble, SynchronizationContext? context)
    {
        _store = store;
        Id = id;
        Selector = selector;
        Bubble = bubble;
        Context = context;
    }

    /// <summary>Gets the store-unique id of the subscription, as accepted by <see cref="StateStore.Unsubscribe(long)"/>.</summary>
    public long Id { get; }

    /// <summary>Gets the selector the subscription matches.</summary>
    public PathSelector Selector { get; }

    /// <summary>Gets whether an exact selector also receives events of descendant paths.</summary>
    public bool Bubble { get; }

    /// <summary>Gets whether the subscription still receives events.</summary>
    public bool IsActive => Volatile.Read(ref _disposed) == 0;

    internal SynchronizationContext? Context { get; }

    /// <summary>The store version at registration: only events with a higher version are delivered.</summary>
    internal long StartVersion { get; set; }

    /// <summary>Whether an abandoned (timed-out) callback of this subscription is still running.</summary>
    internal volatile bool Busy;

    /// <summary>Whether the callback returns a task the dispatcher awaits.</summary>
    internal abstract bool IsAsync { get; }

    /// <summary>Whether delivery is a non-blocking hand-off that never throws (watchers), so retries and contexts do not apply.</summary>
    internal virtual bool IsDirect => false;

    /// <summary>Stops delivery.</summary>
    public void Dispose()
    {
        _store.Unsubscribe(this);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Subscription {Id} '{Selector}'";

    internal bool TryDeactivate() => Interlocked.Exchange(ref _disposed, 1) == 0;

    internal abstract void Invoke(StateEvent stateEvent);

    internal virtual ValueTask InvokeAsync(StateEvent stateEvent)
    {
        Invoke(stateEvent);
        return default;
    }

    /// <summary>Called once when the subscription ends.</summary>
    /// <param name="storeShutdown">Whether it ends because the store shut down (after every queued event was delivered).</param>
    internal virtual void OnEnded(bool storeShutdown)
    {
    }
}
