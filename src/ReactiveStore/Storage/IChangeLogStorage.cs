namespace ReactiveStore.Storage;

/// <summary>A storage driver that keeps the store's change log durably, committed in the same transaction (or the same
/// recoverable step) as the state it describes, so a crash can neither lose a logged change nor log one that did not happen.</summary>
/// <remarks>
/// <para>The store calls these from one thread at a time (the thread holding its commit turn), like the rest of the driver.
/// Versions only grow: each <see cref="Write"/> carries the changes of one commit group, in version order, after every
/// version written before.</para>
/// <para>Implemented by <see cref="InMemoryStorage"/>, <see cref="FileSystemStorage"/> and the SQLite driver. A driver
/// without it still works: the store then keeps its change log in memory only (resuming after a restart is not possible).</para>
/// </remarks>
public interface IChangeLogStorage
{
    /// <summary>Applies <paramref name="writes"/> and appends <paramref name="changes"/> as one unit: after a crash either
    /// both are there or neither is.</summary>
    /// <param name="writes">The state writes of one commit group (may be empty: a group of pings, or derived changes only).</param>
    /// <param name="changes">The group's changes, in version order.</param>
    void Write(IReadOnlyList<StorageWrite> writes, IReadOnlyList<ChangeRecord> changes);

    /// <summary>Reads the logged changes with a version greater than <paramref name="afterVersion"/>, in version order, at most
    /// <paramref name="maxCount"/> of them.</summary>
    /// <param name="afterVersion">The last version the caller already has.</param>
    /// <param name="maxCount">The most records to return.</param>
    /// <returns>The records.</returns>
    IReadOnlyList<ChangeRecord> ReadChanges(long afterVersion, int maxCount);

    /// <summary>Gets the oldest and newest logged versions, or <see langword="null"/> when the log is empty.</summary>
    /// <returns>The bounds.</returns>
    (long Oldest, long Latest)? GetChangeLogBounds();

    /// <summary>Removes logged changes with a version below <paramref name="keepFromVersion"/>, and those committed before
    /// <paramref name="olderThan"/> (when given), but never the newest one (it carries the store's version across restarts).</summary>
    /// <param name="keepFromVersion">The oldest version to keep.</param>
    /// <param name="olderThan">Remove changes committed before this time, too.</param>
    void TrimChangeLog(long keepFromVersion, DateTimeOffset? olderThan);
}
