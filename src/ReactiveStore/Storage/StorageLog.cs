using Microsoft.Extensions.Logging;

namespace ReactiveStore.Storage;

/// <summary>The storage drivers' log messages, generated as cached delegates (event ids 100–199).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Skipped the corrupt stored entry '{Key}' at {Location}")]
    public static partial void SkippedCorruptEntry(ILogger logger, Exception exception, string? key, string? location);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Deleted the leftover temp file '{Path}'")]
    public static partial void DeletedTempFile(ILogger logger, string path);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "The timed flush of {Count} buffered write(s) failed; they stay buffered for the next flush")]
    public static partial void TimedFlushFailed(ILogger logger, Exception exception, int count);
}
