namespace ReactiveStore;

public sealed partial class StateStore
{
    /// <summary>Calls <paramref name="callback"/> for every event matching <paramref name="selector"/>.</summary>
    /// <param name="selector">A path or wildcard selector: <c>a.b</c> (and, bubbling, its descendants), <c>a.b.*</c>, <c>a.*.c</c>, <c>*</c>.</param>
    /// <param name="callback">The callback; see <see cref="DispatchMode"/> for where and when it runs.</param>
    /// <param name="options">Bubbling and context options.</param>
    /// <returns>The subscription; dispose it to stop delivery.</returns>
    /// <exception cref="InvalidPathException">The selector is invalid.</exception>
    /// <exception cref="ObjectDisposedException">The store was shut down.</exception>
    public Subscription Subscribe(string selector, Action<StateEvent> callback, SubscribeOptions? options = null)
    {
        PathSelector parsed = ParseSelector(selector);
        ArgumentNullException.ThrowIfNull(callback);
        options ??= SubscribeOptions.Default;
        return Register(new ActionSubscription(this, NextSubscriptionId(), parsed, options.Bubble, options.Context, callback));
    }

    /// <summary>Calls an asynchronous <paramref name="callback"/> for every event matching <paramref name="selector"/>; the dispatcher awaits it.</summary>
    /// <param name="selector">A path or wildcard selector.</param>
    /// <param name="callback">The callback.</param>
    /// <param name="options">Bubbling and context options.</param>
    /// <returns>The subscription; dispose it to stop delivery.</returns>
    public Subscription Subscribe(string selector, Func<StateEvent, ValueTask> callback, SubscribeOptions? options = null)
    {
        PathSelector parsed = ParseSelector(selector);
        ArgumentNullException.ThrowIfNull(callback);
        options ??= SubscribeOptions.Default;
        return Register(new AsyncSubscription(this, NextSubscriptionId(), parsed, options.Bubble, options.Context, callback));
    }

    /// <summary>Calls <paramref name="callback"/> with <paramref name="state"/> for every matching event, so the callback need not capture.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <param name="selector">A path or wildcard selector.</param>
    /// <param name="state">The state passed to every call.</param>
    /// <param name="callback">The callback, ideally a <see langword="static"/> lambda.</param>
    /// <param name="options">Bubbling and context options.</param>
    /// <returns>The subscription; dispose it to stop delivery.</returns>
    public Subscription Subscribe<TState>(string selector, TState state, Action<StateEvent, TState> callback, SubscribeOptions? options = null)
    {
        PathSelector parsed = ParseSelector(selector);
        ArgumentNullException.ThrowIfNull(callback);
        options ??= SubscribeOptions.Default;
        return Register(new StateActionSubscription<TState>(this, NextSubscriptionId(), parsed, options.Bubble, options.Context, state, callback));
    }

    /// <summary>Stops the subscription with the given id. Idempotent.</summary>
    /// <param name="id">The <see cref="Subscription.Id"/>.</param>
    /// <returns>Whether an active subscription was stopped.</returns>
    public bool Unsubscribe(long id) => _subscriptions.TryGetValue(id, out Subscription? subscription) && Unsubscribe(subscription);

    /// <summary>Streams the events matching <paramref name="selector"/> into a bounded buffer read with <c>await foreach</c>.</summary>
    /// <param name="selector">A path or wildcard selector.</param>
    /// <param name="options">Buffer capacity, overflow behaviour and bubbling.</param>
    /// <param name="cancellationToken">Ends the watch; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The watch, subscribed at once; enumerate it once.</returns>
    /// <remarks>A slow consumer never blocks writers or other subscribers: see <see cref="WatchOverflowMode"/>.</remarks>
    public StateWatch Watch(string selector, WatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        PathSelector parsed = ParseSelector(selector);
        options ??= WatchOptions.Default;
        var subscription = new WatchSubscription(this, NextSubscriptionId(), parsed, options, cancellationToken);
        if (options.FromVersion is not { } fromVersion)
        {
            Register(subscription);
            return subscription.Stream;
        }

        // Resumed: subscribe first (live events wait), then write the history up to the version it subscribed at.
        subscription.HoldLiveEvents();
        Register(subscription);
        long subscribedAt = subscription.StartVersion;
        _ = subscription.ReplayHistoryAsync(after => ReadHistoryEvents(after, subscribedAt), fromVersion);
        return subscription.Stream;
    }

    /// <summary>Returns the events matching <paramref name="selector"/> as an observable with watch semantics: each observer
    /// gets its own buffered watch (resumed from <see cref="WatchOptions.FromVersion"/> when set) pumped to it in order.</summary>
    /// <param name="selector">A path or wildcard selector.</param>
    /// <param name="options">Buffer, overflow, bubbling and the version to resume after.</param>
    /// <returns>The observable. An observer gets <see cref="IObserver{T}.OnError"/> for a compacted history or an overflow,
    /// and <see cref="IObserver{T}.OnCompleted"/> when the store shuts down.</returns>
    public IObservable<StateEvent> Observe(string selector, WatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = ParseSelector(selector);
        ThrowIfDisposed();
        return new WatchObservable(this, selector, options);
    }

    /// <summary>Reads the retained changes after <paramref name="afterVersion"/> up to <paramref name="untilVersion"/> as events.</summary>
    internal List<StateEvent> ReadHistoryEvents(long afterVersion, long untilVersion)
    {
        List<ChangeRecord> records = _changeLog.Read(afterVersion, untilVersion, ReadDurably);
        var events = new List<StateEvent>(records.Count);
        foreach (ChangeRecord record in records)
        {
            events.Add(StateEvent.FromRecord(record, _converter));
        }

        return events;
    }

    /// <summary>Runs a read of the durable change log while holding the store's turn (drivers are single-threaded).</summary>
    private List<ChangeRecord> ReadDurably(Func<List<ChangeRecord>> read)
    {
        List<ChangeRecord> result = [];
        _pipeline.RunExclusive(() => result = read());
        return result;
    }

    /// <summary>Returns the events matching <paramref name="selector"/> as an observable; each observer gets its own subscription.</summary>
    /// <param name="selector">A path or wildcard selector.</param>
    /// <param name="options">Bubbling and context options for every observer.</param>
    /// <returns>The observable. Observers complete when the store shuts down.</returns>
    public IObservable<StateEvent> Observe(string selector, SubscribeOptions? options = null)
    {
        PathSelector parsed = ParseSelector(selector);
        ThrowIfDisposed();
        return new StoreObservable(this, parsed, options ?? SubscribeOptions.Default);
    }

    internal Subscription Subscribe(PathSelector selector, IObserver<StateEvent> observer, SubscribeOptions options) =>
        Register(new ObserverSubscription(this, NextSubscriptionId(), selector, options.Bubble, options.Context, observer));

    internal bool Unsubscribe(Subscription subscription) => EndSubscription(subscription, storeShutdown: false);

    private bool EndSubscription(Subscription subscription, bool storeShutdown)
    {
        if (!subscription.TryDeactivate())
        {
            return false;
        }

        _index.Remove(subscription);
        _subscriptions.TryRemove(subscription.Id, out _);
        if (!storeShutdown)
        {
            _derivations.UpdateObservations();
        }

        try
        {
            subscription.OnEnded(storeShutdown);
        }
        catch (Exception ex)
        {
            Log.CompletionFailed(_logger, ex, subscription.Id, subscription.Selector.ToString());
        }

        return true;
    }

    private Subscription Register(Subscription subscription)
    {
        lock (_table.Structure)
        {
            ThrowIfDisposed();

            // Only events published after this point reach the new subscription: commits publish (and decide which
            // events anyone receives) under the same lock.
            subscription.StartVersion = _publisher.Version;
            _subscriptions[subscription.Id] = subscription;
            _index.Add(subscription);
        }

        // A subscription that matches a derived path makes it eager.
        _derivations.UpdateObservations();
        return subscription;
    }

    private long NextSubscriptionId() => Interlocked.Increment(ref _nextSubscriptionId);

    private static PathSelector ParseSelector(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return PathSelector.Parse(selector);
    }
}
