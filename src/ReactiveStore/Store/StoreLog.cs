using Microsoft.Extensions.Logging;

namespace ReactiveStore;

/// <summary>The store's own log messages (event ids 20–39): commits, expiry, loading, queued writes.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "A write queued by an effect, a Track callback or a batch of another store failed when it was committed: {Write}")]
    public static partial void DeferredWriteFailed(ILogger logger, Exception exception, string write);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Storage refused the deletion of {Count} expired value(s); every schedule is kept and retried in {Delay}")]
    public static partial void ExpiryFailed(ILogger logger, Exception exception, int count, TimeSpan delay);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "The final storage flush at shutdown failed; the storage was closed anyway")]
    public static partial void FinalFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Storage could not read '{Path}'; the other keys loaded, and reading this one throws")]
    public static partial void CorruptEntryLoaded(ILogger logger, Exception exception, string path);
}
