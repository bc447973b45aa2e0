using Microsoft.Extensions.Logging;

namespace ReactiveStore.Storage;

/// <summary>Configuration of a <see cref="SqliteStorage"/>.</summary>
public sealed record SqliteStorageOptions
{
    /// <summary>Gets the durability of a returned write (default <see cref="SqliteSynchronous.Full"/>).</summary>
    public SqliteSynchronous Synchronous { get; init; } = SqliteSynchronous.Full;

    /// <summary>Gets how long a write waits for another connection's lock on the file before it fails (default 5 s).</summary>
    public TimeSpan BusyTimeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(BusyTimeout));
            field = value;
        }
    } = TimeSpan.FromSeconds(5);

    /// <summary>Gets what <see cref="SqliteStorage.ReadAll"/> and <see cref="SqliteStorage.TryGet"/> do with a row they cannot read
    /// (default <see cref="CorruptEntryPolicy.Isolate"/>: the rest loads, the row's key reads as a corrupted entry naming the row).</summary>
    public CorruptEntryPolicy OnCorruptEntry { get; init; } = CorruptEntryPolicy.Isolate;

    /// <summary>Gets whether the database is opened read-only (default <see langword="false"/>).</summary>
    /// <remarks>A read-only storage takes no writer lock, so it opens beside the one writer (in this or another process, a
    /// CLI inspecting a live app's file) and sees its commits on every <see cref="SqliteStorage.ReadAll"/> and
    /// <see cref="SqliteStorage.TryGet"/>. It never creates or changes the file: the database must exist with the schema, and
    /// <see cref="SqliteStorage.Write"/> throws <see cref="InvalidOperationException"/>.</remarks>
    public bool ReadOnly { get; init; }

    /// <summary>Gets the logger for isolated and skipped corrupt rows; <see langword="null"/> logs nowhere.</summary>
    public ILogger? Logger { get; init; }
}
