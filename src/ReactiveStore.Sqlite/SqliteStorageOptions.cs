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

    /// <summary>Gets what <see cref="SqliteStorage.ReadAll"/> does with a row it cannot read (default <see cref="CorruptEntryPolicy.Throw"/>).</summary>
    public CorruptEntryPolicy OnCorruptEntry { get; init; } = CorruptEntryPolicy.Throw;

    /// <summary>Gets the logger for skipped corrupt rows; <see langword="null"/> logs nowhere.</summary>
    public ILogger? Logger { get; init; }
}
