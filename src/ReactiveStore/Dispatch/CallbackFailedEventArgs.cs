namespace ReactiveStore;

/// <summary>Describes one failed delivery of an event to a subscriber, for <see cref="StateStore.CallbackFailed"/>.</summary>
public sealed class CallbackFailedEventArgs : EventArgs
{
    /// <summary>Creates the description of a failed delivery.</summary>
    /// <param name="subscriptionId">The id of the subscription whose callback failed.</param>
    /// <param name="selector">The selector of that subscription.</param>
    /// <param name="stateEvent">The event being delivered.</param>
    /// <param name="exception">What the callback threw, or a <see cref="TimeoutException"/> for a callback that hung.</param>
    /// <param name="attempt">The 1-based attempt that failed; 0 when the event was not attempted.</param>
    /// <param name="maxAttempts">How many attempts the store makes in all.</param>
    /// <param name="isDeadLettered">Whether the store gave up on the event and added it to the dead letters.</param>
    public CallbackFailedEventArgs(long subscriptionId, string selector, StateEvent stateEvent, Exception exception, int attempt, int maxAttempts, bool isDeadLettered)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(stateEvent);
        ArgumentNullException.ThrowIfNull(exception);
        SubscriptionId = subscriptionId;
        Selector = selector;
        Event = stateEvent;
        Exception = exception;
        Attempt = attempt;
        MaxAttempts = maxAttempts;
        IsDeadLettered = isDeadLettered;
    }

    /// <summary>Gets the id of the subscription whose callback failed.</summary>
    public long SubscriptionId { get; }

    /// <summary>Gets the selector of the subscription whose callback failed.</summary>
    public string Selector { get; }

    /// <summary>Gets the event that was being delivered.</summary>
    public StateEvent Event { get; }

    /// <summary>Gets what the callback threw, or a <see cref="TimeoutException"/> for a callback that did not return in time.</summary>
    public Exception Exception { get; }

    /// <summary>Gets the 1-based attempt that failed; 0 when the event was dead-lettered without an attempt because an
    /// earlier callback of the subscription timed out and is still running.</summary>
    public int Attempt { get; }

    /// <summary>Gets how many attempts the store makes in all (<see cref="RetryPolicy.MaxAttempts"/>; 1 for inline dispatch).</summary>
    public int MaxAttempts { get; }

    /// <summary>Gets whether the store gave up on the event for this subscriber and added it to <see cref="StateStore.DeadLetters"/>;
    /// <see langword="false"/> when another attempt follows.</summary>
    public bool IsDeadLettered { get; }
}
