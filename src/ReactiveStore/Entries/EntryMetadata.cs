using System.Diagnostics;

namespace ReactiveStore;

/// <summary>Bookkeeping the store keeps for every stored value: versions, times, expiry, tags, authorship, hashes and history.</summary>
/// <remarks>
/// <para>Instances are immutable to their users: every committed write creates a new one.</para>
/// <para>Two values are computed on first use rather than on every write: <see cref="DataHash"/> (SHA-256 of the value's
/// canonical JSON by default, computed when the entry is persisted or the hash is read) and
/// <see cref="RevisionHistory"/> (built from the chain of earlier revisions). Metadata built by the store links to the
/// metadata of the revision before it, and the store keeps at most <c>StateStoreOptions.MaxRevisions</c> of them linked:
/// the metadata of a revision that has since been overwritten that many more times may report a shorter history.</para>
/// </remarks>
public sealed class EntryMetadata
{
    private static readonly Extras s_noExtras = new();

    // Times as UTC ticks plus their offsets in minutes: 20 bytes instead of two 16-byte DateTimeOffsets.
    private readonly long _createdUtcTicks;
    private readonly long _updatedUtcTicks;
    private readonly short _createdOffsetMinutes;
    private readonly short _updatedOffsetMinutes;
    private Extras _extras = s_noExtras;

    // A computed hash (string), or the entry whose value is hashed on first read (with _hasher).
    private object? _dataHash;
    private DataHasher? _hasher;

    // The revision before this one (metadata built by the store) and how many revisions the history holds, this one
    // included. A chain that grows past the limit is cut at its far end (see DataHasher and MetadataService).
    private EntryMetadata? _previous;
    private int _historyDepth = -1;
    private IReadOnlyList<EntryRevision>? _history;

    /// <summary>Creates metadata for a revision of an entry.</summary>
    /// <param name="version">The per-key version: 1 on create, one more on every write.</param>
    /// <param name="createdAt">When the key was first written.</param>
    /// <param name="updatedAt">When this revision was written.</param>
    public EntryMetadata(long version, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        Version = version;
        _createdUtcTicks = createdAt.UtcTicks;
        _createdOffsetMinutes = (short)createdAt.TotalOffsetMinutes;
        _updatedUtcTicks = updatedAt.UtcTicks;
        _updatedOffsetMinutes = (short)updatedAt.TotalOffsetMinutes;
    }

    /// <summary>Creates metadata with every per-revision field at once (extras are allocated only when one is set).</summary>
    internal EntryMetadata(
        long version,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        IReadOnlyList<string> tags,
        DateTimeOffset? expiresAt,
        string? modifiedBy,
        string? comment,
        string? schemaHash)
        : this(version, createdAt, updatedAt)
    {
        Tags = tags;
        if (expiresAt is not null || modifiedBy is not null || comment is not null || schemaHash is not null)
        {
            _extras = new Extras { ExpiresAt = expiresAt, ModifiedBy = modifiedBy, Comment = comment, SchemaHash = schemaHash };
        }
    }

    /// <summary>Gets the per-key version: 1 when the key is created, one more on every write.</summary>
    public long Version { get; }

    /// <summary>Gets when the key was first written, from the store's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CreatedAt => ToOffset(_createdUtcTicks, _createdOffsetMinutes);

    /// <summary>Gets when this revision was written, from the store's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset UpdatedAt => ToOffset(_updatedUtcTicks, _updatedOffsetMinutes);

    /// <summary>Gets when the entry expires (it then reads as missing and is deleted with an event), or <see langword="null"/>.</summary>
    public DateTimeOffset? ExpiresAt
    {
        get => _extras.ExpiresAt;
        init => Extend().ExpiresAt = value;
    }

    /// <summary>Gets the tags the writer attached.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Gets who wrote this revision, as the writer said in <c>SetOptions.ModifiedBy</c>.</summary>
    public string? ModifiedBy
    {
        get => _extras.ModifiedBy;
        init => Extend().ModifiedBy = value;
    }

    /// <summary>Gets the writer's comment on this revision.</summary>
    public string? Comment
    {
        get => _extras.Comment;
        init => Extend().Comment = value;
    }

    /// <summary>Gets the hash of the value's canonical JSON (SHA-256, lower-case hex, by default), or <see langword="null"/> when hashing is off.</summary>
    /// <remarks>Computed once, on first use, for metadata the store built; reading it costs the hash the first time.</remarks>
    public string? DataHash
    {
        get
        {
            object? hash = Volatile.Read(ref _dataHash);
            return hash as string ?? (hash is null ? null : ComputeDataHash(hash));
        }

        init => _dataHash = value;
    }

    /// <summary>Gets the hash of the schema the value was written against, as the writer said in <c>SetOptions.SchemaHash</c>.</summary>
    public string? SchemaHash
    {
        get => _extras.SchemaHash;
        init => Extend().SchemaHash = value;
    }

    /// <summary>Gets the last revisions of the entry, newest first, this one included (at most <c>StateStoreOptions.MaxRevisions</c>).</summary>
    public IReadOnlyList<EntryRevision> RevisionHistory
    {
        get => Volatile.Read(ref _history) ?? BuildHistory();
        init => _history = value;
    }

    /// <summary>Gets whether the data hash has not been computed yet (for tests of the lazy write path).</summary>
    internal bool IsDataHashPending => Volatile.Read(ref _dataHash) is StateEntry;

    /// <summary>Gets this revision's own history record.</summary>
    /// <returns>The record.</returns>
    public EntryRevision ToRevision() => new(Version, ModifiedBy, DataHash, SchemaHash, UpdatedAt, Comment);

    /// <summary>Creates the metadata of the next revision of the same key, keeping only <see cref="CreatedAt"/> and the history.</summary>
    /// <param name="updatedAt">When the next revision is written.</param>
    /// <returns>Metadata with <see cref="Version"/> one higher and the same <see cref="CreatedAt"/>.</returns>
    public EntryMetadata Next(DateTimeOffset updatedAt) => new(Version + 1, CreatedAt, updatedAt) { RevisionHistory = RevisionHistory };

    /// <inheritdoc/>
    public override string ToString() => $"v{Version} (created {CreatedAt:O}, updated {UpdatedAt:O})";

    /// <summary>Links this (new, unpublished) metadata after <paramref name="previous"/> so that its history is built from
    /// the chain, holding at most <paramref name="maxRevisions"/> revisions.</summary>
    internal void LinkHistory(EntryMetadata? previous, int maxRevisions)
    {
        Debug.Assert(_history is null, "An explicit history is not linked.");
        if (maxRevisions == 0)
        {
            _history = [];
            return;
        }

        int previousDepth = previous is null ? 0 : previous.HistoryDepth;
        _previous = previous;
        _historyDepth = Math.Min(previousDepth + 1, maxRevisions);
    }

    /// <summary>Called once this metadata is published: cuts the chain behind the oldest revision it keeps, so that
    /// superseded revisions (and the values they would hash) can be collected.</summary>
    /// <remarks>Done at publication, not when linking, so that a write that is rolled back never shortens the history
    /// of the entry it did not replace.</remarks>
    internal void TrimHistoryChain()
    {
        // Amortized: every depth-th revision of a key walks back and cuts, so a chain holds at most 2 × depth revisions and
        // a write walks one link on average.
        int depth = _historyDepth;
        if (depth <= 0 || Version % depth != 0)
        {
            return;
        }

        EntryMetadata? oldest = this;
        for (int i = 1; i < depth && oldest is not null; i++)
        {
            oldest = Volatile.Read(ref oldest._previous);
        }

        if (oldest is not null && oldest._previous is not null)
        {
            Volatile.Write(ref oldest._previous, null);
        }
    }

    /// <summary>Makes <see cref="DataHash"/> hash <paramref name="entry"/>'s value on first read, unless a hash was set already.</summary>
    internal void AttachDataHash(StateEntry entry, DataHasher hasher)
    {
        if (_dataHash is null)
        {
            _hasher = hasher;
            Volatile.Write(ref _dataHash, entry);
        }
    }

    /// <summary>Sets the hash when it is known already (the write path hashed the bytes it persists).</summary>
    internal void SetDataHash(string hash) => Volatile.Write(ref _dataHash, hash);

    private int HistoryDepth => _historyDepth >= 0 ? _historyDepth : (_history?.Count ?? 0);

    private static DateTimeOffset ToOffset(long utcTicks, short offsetMinutes)
    {
        if (offsetMinutes == 0)
        {
            return new DateTimeOffset(utcTicks, TimeSpan.Zero);
        }

        long offsetTicks = offsetMinutes * TimeSpan.TicksPerMinute;
        return new DateTimeOffset(utcTicks + offsetTicks, TimeSpan.FromTicks(offsetTicks));
    }

    private string ComputeDataHash(object pending)
    {
        string hash = _hasher!.Hash((StateEntry)pending);
        Volatile.Write(ref _dataHash, hash);
        return hash;
    }

    private EntryRevision[] BuildHistory()
    {
        int depth = _historyDepth;
        if (depth <= 0)
        {
            return [];
        }

        var history = new List<EntryRevision>(depth);
        EntryMetadata? node = this;
        while (node is not null && history.Count < depth)
        {
            if (node != this && Volatile.Read(ref node._history) is { } explicitHistory)
            {
                // A revision loaded from storage (or built by a custom metadata service) carries its history itself.
                for (int i = 0; i < explicitHistory.Count && history.Count < depth; i++)
                {
                    history.Add(explicitHistory[i]);
                }

                break;
            }

            history.Add(node.ToRevision());
            node = Volatile.Read(ref node._previous);
        }

        EntryRevision[] result = [.. history];
        Volatile.Write(ref _history, result);
        return result;
    }

    private Extras Extend()
    {
        if (ReferenceEquals(_extras, s_noExtras))
        {
            _extras = new Extras();
        }

        return _extras;
    }

    /// <summary>The fields most writes leave empty, kept out of line so a plain write allocates less.</summary>
    private sealed class Extras
    {
        public DateTimeOffset? ExpiresAt;
        public string? ModifiedBy;
        public string? Comment;
        public string? SchemaHash;
    }
}
