namespace ReactiveStore;

/// <summary>A journal: every committed change of a store, appended in commit order, to read back and replay
/// (<c>StateStore.ReplayAsync</c>). <c>FileJournal</c> writes one JSON line per change.</summary>
/// <remarks>The store appends each commit group before it persists the group, and truncates the append away if the
/// group fails, so the journal never holds a change that did not commit; on open, the store drops a tail the crash left
/// behind (changes newer than what storage committed). Appends come from one thread at a time.</remarks>
public interface IChangeJournal : IDisposable
{
    /// <summary>Gets the version of the last change in the journal (0 when it is empty).</summary>
    long LastVersion { get; }

    /// <summary>Appends the changes of one commit group, in version order, durably as the journal's options say.</summary>
    /// <param name="changes">The changes.</param>
    /// <returns>A mark to pass to <see cref="TruncateTo"/> to take this append back.</returns>
    long Append(IReadOnlyList<ChangeRecord> changes);

    /// <summary>Removes everything appended after <paramref name="mark"/> (the group it belongs to failed to commit).</summary>
    /// <param name="mark">A mark <see cref="Append"/> returned.</param>
    void TruncateTo(long mark);

    /// <summary>Removes the changes with a version greater than <paramref name="version"/> (a tail a crash left behind).</summary>
    /// <param name="version">The last version to keep.</param>
    void TruncateAfter(long version);

    /// <summary>Reads the journal from the start: each line's record, or the problem that line has.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The entries, in file order.</returns>
    IAsyncEnumerable<JournalEntry> ReadAsync(CancellationToken cancellationToken = default);
}

/// <summary>One line of a journal, as read back: its record, or why it could not be read.</summary>
/// <param name="LineNumber">The 1-based line number.</param>
/// <param name="Record">The record, when the line is one.</param>
/// <param name="Problem">Why the line is not a record (corrupt, or cut off), when it is not.</param>
/// <param name="IsLastLine">Whether this is the file's last line (a cut-off last line is a torn write, not corruption).</param>
public readonly record struct JournalEntry(long LineNumber, ChangeRecord? Record, string? Problem, bool IsLastLine);
