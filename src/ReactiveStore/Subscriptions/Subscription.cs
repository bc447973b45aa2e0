namespace ReactiveStore;

/// <summary>A live subscription to a store; dispose it to stop delivery.</summary>
/// <remarks>
/// <para>Disposing is idempotent and safe from any thread, including from inside the subscription's own callback.</para>
/// <para>Once <see cref="Dispose"/> has returned, no callback of the subscription starts: not one queued behind other
/// subscribers, not one already posted to a busy <see cref="SynchronizationContext"/>, not a retry waiting for its delay.
/// Each delivery checks <see cref="IsActive"/> as the last step before it calls the callback (on the context, for a
/// subscription with one). A callback that had already started on another thread when <see cref="Dispose"/> was called
/// may still finish after it returns: <see cref="Dispose"/> does not wait for it, so it cannot deadlock with a callback
/// that waits for the disposing thread.</para>
/// </remarks>
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

    /// <summary>Runs the callback unless the subscription was disposed: the last check before user code runs.</summary>
    internal void InvokeIfActive(StateEvent stateEvent)
    {
        if (IsActive)
        {
            Invoke(stateEvent);
        }
    }

    /// <summary>Runs the asynchronous callback unless the subscription was disposed: the last check before user code runs.</summary>
    internal ValueTask InvokeIfActiveAsync(StateEvent stateEvent) => IsActive ? InvokeAsync(stateEvent) : default;

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
