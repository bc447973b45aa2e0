using Microsoft.Extensions.Logging;

namespace ReactiveStore.Storage;

/// <summary>The SQLite driver's log messages, generated as cached delegates (event ids 200–299).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Skipped the corrupt stored entry '{Key}' at {Location}")]
    public static partial void SkippedCorruptEntry(ILogger logger, Exception exception, string? key, string? location);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Isolated the corrupt stored entry '{Key}' at {Location}: the other entries load, reading this one fails until it is written again")]
    public static partial void IsolatedCorruptEntry(ILogger logger, Exception exception, string? key, string? location);
}
