using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ReactiveStore;

/// <summary>Decorator: logs the start and end of every write with its duration and outcome (Debug), and every failure (Warning).</summary>
/// <remarks>With Warning off it costs one level check; with Debug off, a timestamp and a try block. The chain is
/// composed of the concrete types (no generic virtual dispatch on the write path).</remarks>
internal sealed class LoggingWriteOrchestrator(WriteOrchestrator inner, ILogger logger) : IWriteOrchestrator
{
    public StateEntry<T> Set<T>(Commit commit, in WriteOperation<T> operation)
    {
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return inner.Set(commit, operation); // nothing would be logged: no timestamps either
        }

        Started("Set", operation.Path);
        long start = Stopwatch.GetTimestamp();
        StateEntry<T> entry;
        try
        {
            entry = inner.Set(commit, operation);
        }
        catch (Exception ex)
        {
            Failed(ex, "Set", operation.Path, start);
            throw;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            Completed("Set", operation.Path, start, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"version {entry.Metadata.Version}"));
        }

        return entry;
    }

    public void Delete(Commit commit, DeleteOperation operation)
    {
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            inner.Delete(commit, operation);
            return;
        }

        Started("Delete", operation.Path);
        long start = Stopwatch.GetTimestamp();
        try
        {
            inner.Delete(commit, operation);
        }
        catch (Exception ex)
        {
            Failed(ex, "Delete", operation.Path, start);
            throw;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            Completed("Delete", operation.Path, start, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{operation.Removed.Count} key(s) removed"));
        }
    }

    private void Started(string kind, StatePath path)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            string text = path.ToString();
            Log.WriteStarted(logger, kind, text);
        }
    }

    private void Completed(string kind, StatePath path, long start, string outcome)
    {
        string text = path.ToString();
        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Log.WriteCompleted(logger, kind, text, milliseconds, outcome);
    }

    private void Failed(Exception exception, string kind, StatePath path, long start)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            string text = path.ToString();
            double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Log.WriteFailed(logger, exception, kind, text, milliseconds);
        }
    }
}
