using Microsoft.Extensions.Logging;

namespace ReactiveStore;

/// <summary>The store's log messages, generated as cached delegates.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Subscriber {SubscriptionId} ('{Selector}') threw on {EventType} '{Path}' v{Version} (attempt {Attempt} of {MaxAttempts})")]
    public static partial void CallbackFailed(ILogger logger, Exception exception, long subscriptionId, string selector, StateEventType eventType, string path, long version, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Subscriber {SubscriptionId} ('{Selector}') gave up on {EventType} '{Path}' v{Version} after {Attempts} attempt(s); the event went to the dead letters")]
    public static partial void DeadLettered(ILogger logger, Exception exception, long subscriptionId, string selector, StateEventType eventType, string path, long version, int attempts);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Subscriber {SubscriptionId} ('{Selector}') did not return within {Timeout} on '{Path}' v{Version}; delivery moved on without it")]
    public static partial void CallbackTimedOut(ILogger logger, long subscriptionId, string selector, TimeSpan timeout, string path, long version);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Store shut down: {Delivered} event(s) delivered")]
    public static partial void ShutDown(ILogger logger, long delivered);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Completing subscription {SubscriptionId} ('{Selector}') threw")]
    public static partial void CompletionFailed(ILogger logger, Exception exception, long subscriptionId, string selector);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Derived path '{Path}' failed to recompute; readers get the exception until an input changes")]
    public static partial void DerivationFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Tracked effect {Name} threw; it keeps running on later changes")]
    public static partial void TrackerFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "A CallbackFailed handler threw while reporting a failure of subscriber {SubscriptionId} ('{Selector}'); delivery goes on")]
    public static partial void CallbackFailedHandlerThrew(ILogger logger, Exception exception, long subscriptionId, string selector);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "{Kind} '{Path}' started")]
    public static partial void WriteStarted(ILogger logger, string kind, string path);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "{Kind} '{Path}' done in {Milliseconds:F3} ms: {Outcome}")]
    public static partial void WriteCompleted(ILogger logger, string kind, string path, double milliseconds, string outcome);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{Kind} '{Path}' failed after {Milliseconds:F3} ms")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string kind, string path, double milliseconds);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Loaded {Count} entries from storage in {Milliseconds:F1} ms")]
    public static partial void Loaded(ILogger logger, int count, double milliseconds);
}
