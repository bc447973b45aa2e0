using Microsoft.Extensions.Logging;

namespace ReactiveStore;

/// <summary>Delivers committed events to matching subscriptions in commit order.</summary>
/// <remarks>
/// <see cref="Enqueue"/> is called by the store while it holds its write lock, so the queue order is the commit order.
/// Everything else runs outside that lock. Subclasses decide where callbacks run.
/// </remarks>
internal abstract class EventDispatcher
{
    private readonly Lock _waitersLock = new();
    private readonly List<(long Target, TaskCompletionSource Completion)> _waiters = [];
    private long _enqueued;
    private long _delivered;
    private int _waiterCount;

    protected EventDispatcher(SubscriptionIndex index, DeadLetterCollection deadLetters, ILogger logger, TimeProvider timeProvider, SynchronizationContext? defaultContext)
    {
        Index = index;
        DeadLetters = deadLetters;
        Logger = logger;
        TimeProvider = timeProvider;
        DefaultContext = defaultContext;
        Failures = new CallbackFailureReporter(logger);
    }

    /// <summary>Gets the reporter behind <see cref="StateStore.CallbackFailed"/>.</summary>
    public CallbackFailureReporter Failures { get; }

    protected SubscriptionIndex Index { get; }

    protected DeadLetterCollection DeadLetters { get; }

    protected ILogger Logger { get; }

    protected TimeProvider TimeProvider { get; }

    protected SynchronizationContext? DefaultContext { get; }

    public long EnqueuedCount => Interlocked.Read(ref _enqueued);

    public long DeliveredCount => Interlocked.Read(ref _delivered);

    /// <summary>Queues an event; the caller holds the store's write lock.</summary>
    public void Enqueue(StateEvent stateEvent)
    {
        Interlocked.Increment(ref _enqueued);
        EnqueueCore(stateEvent);
    }

    /// <summary>Called after a commit, outside the write lock, on the writing thread.</summary>
    public abstract void AfterCommit();

    /// <summary>Stops accepting events, delivers what is queued, then completes.</summary>
    public abstract Task CompleteAsync();

    /// <summary>Gets whether the current thread is delivering an event of this dispatcher right now.</summary>
    public abstract bool IsDispatchingOnCurrentThread { get; }

    /// <summary>Completes once every event enqueued before the call has been delivered.</summary>
    public Task WhenDeliveredAsync(CancellationToken cancellationToken)
    {
        long target = EnqueuedCount;
        if (DeliveredCount >= target)
        {
            return Task.CompletedTask;
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            _waiters.Add((target, completion));
            Volatile.Write(ref _waiterCount, _waiters.Count);
        }

        // The event may have been delivered between the first check and the registration.
        CompleteWaiters(DeliveredCount);
        return cancellationToken.CanBeCanceled ? completion.Task.WaitAsync(cancellationToken) : completion.Task;
    }

    protected abstract void EnqueueCore(StateEvent stateEvent);

    /// <summary>Counts one event as delivered to every subscriber and releases flush waiters it satisfies.</summary>
    protected void MarkDelivered()
    {
        long delivered = Interlocked.Increment(ref _delivered);
        if (Volatile.Read(ref _waiterCount) != 0)
        {
            CompleteWaiters(delivered);
        }
    }

    /// <summary>Releases every flush waiter, used once the dispatcher has stopped.</summary>
    protected void ReleaseAllWaiters() => CompleteWaiters(long.MaxValue);

    /// <summary>Logs, reports and (after the last attempt) dead-letters one failed attempt of a callback.</summary>
    protected void ReportFailedAttempt(Subscription subscription, StateEvent stateEvent, Exception exception, int attempt, int maxAttempts)
    {
        Log.CallbackFailed(Logger, exception, subscription.Id, subscription.Selector.ToString(), stateEvent.Type, stateEvent.Path.ToString(), stateEvent.Version, attempt, maxAttempts);
        bool deadLettered = attempt >= maxAttempts;
        if (deadLettered)
        {
            AddDeadLetter(subscription, stateEvent, exception, attempt);
        }

        Failures.Report(subscription, stateEvent, exception, attempt, maxAttempts, deadLettered);
    }

    /// <summary>Dead-letters and reports an event given up on without a failing callback to blame for it (a callback
    /// that hung, or an event that arrived while it still ran).</summary>
    protected void ReportAbandoned(Subscription subscription, StateEvent stateEvent, Exception exception, int attempts, int maxAttempts)
    {
        AddDeadLetter(subscription, stateEvent, exception, attempts);
        Failures.Report(subscription, stateEvent, exception, attempts, maxAttempts, deadLettered: true);
    }

    protected SynchronizationContext? ContextFor(Subscription subscription) => subscription.Context ?? DefaultContext;

    private void AddDeadLetter(Subscription subscription, StateEvent stateEvent, Exception exception, int attempts)
    {
        Log.DeadLettered(Logger, exception, subscription.Id, subscription.Selector.ToString(), stateEvent.Type, stateEvent.Path.ToString(), stateEvent.Version, attempts);
        DeadLetters.Add(new DeadLetter(stateEvent, subscription.Id, subscription.Selector.ToString(), exception, attempts, TimeProvider.GetUtcNow()));
    }

    private void CompleteWaiters(long delivered)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_waitersLock)
        {
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= delivered)
                {
                    (ready ??= []).Add(_waiters[i].Completion);
                    _waiters.RemoveAt(i);
                }
            }

            Volatile.Write(ref _waiterCount, _waiters.Count);
        }

        if (ready is not null)
        {
            foreach (TaskCompletionSource completion in ready)
            {
                completion.TrySetResult();
            }
        }
    }
}
