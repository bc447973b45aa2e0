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

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Isolated the corrupt stored entry '{Key}' at {Location}: the other entries load, reading this one fails until it is written again")]
    public static partial void IsolatedCorruptEntry(ILogger logger, Exception exception, string? key, string? location);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Moved '{From}' to '{To}' (file layout of an earlier version)")]
    public static partial void MovedToCurrentLayout(ILogger logger, string from, string to);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Left '{Path}' in place: {Reason}")]
    public static partial void LeftInPlace(ILogger logger, string path, string reason);
}
