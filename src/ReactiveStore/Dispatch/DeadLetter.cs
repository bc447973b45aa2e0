namespace ReactiveStore;

/// <summary>An event that a subscriber could not process, kept for inspection or replay.</summary>
/// <param name="Event">The event as it was delivered.</param>
/// <param name="SubscriptionId">The id of the subscription that failed.</param>
/// <param name="Selector">The selector of the subscription that failed.</param>
/// <param name="Exception">The last error: what the callback threw, or a <see cref="TimeoutException"/> for a callback that hung.</param>
/// <param name="Attempts">How many times delivery was attempted.</param>
/// <param name="FailedAt">When the event was given up on, from the store's <see cref="TimeProvider"/>.</param>
public sealed record DeadLetter(StateEvent Event, long SubscriptionId, string Selector, Exception Exception, int Attempts, DateTimeOffset FailedAt);
