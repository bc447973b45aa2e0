namespace ReactiveStore;

/// <summary>Bookkeeping the store keeps for every stored value: versions, times, expiry, tags, authorship, hashes and history.</summary>
/// <remarks>Instances are immutable: every committed write creates a new one (with <c>with</c>-style copies through the init properties).</remarks>
public sealed class EntryMetadata
{
    /// <summary>Creates metadata for a revision of an entry.</summary>
    /// <param name="version">The per-key version: 1 on create, one more on every write.</param>
    /// <param name="createdAt">When the key was first written.</param>
    /// <param name="updatedAt">When this revision was written.</param>
    public EntryMetadata(long version, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        Version = version;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>Gets the per-key version: 1 when the key is created, one more on every write.</summary>
    public long Version { get; }

    /// <summary>Gets when the key was first written, from the store's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets when this revision was written, from the store's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Gets when the entry expires (it then reads as missing and is deleted with an event), or <see langword="null"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the tags the writer attached.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Gets who wrote this revision, as the writer said in <c>SetOptions.ModifiedBy</c>.</summary>
    public string? ModifiedBy { get; init; }

    /// <summary>Gets the writer's comment on this revision.</summary>
    public string? Comment { get; init; }

    /// <summary>Gets the hash of the value's canonical JSON (SHA-256, lower-case hex, by default), or <see langword="null"/> when hashing is off.</summary>
    public string? DataHash { get; init; }

    /// <summary>Gets the hash of the schema the value was written against, as the writer said in <c>SetOptions.SchemaHash</c>.</summary>
    public string? SchemaHash { get; init; }

    /// <summary>Gets the last revisions of the entry, newest first, this one included (at most <c>StateStoreOptions.MaxRevisions</c>).</summary>
    public IReadOnlyList<EntryRevision> RevisionHistory { get; init; } = [];

    /// <summary>Gets this revision's own history record.</summary>
    public EntryRevision ToRevision() => new(Version, ModifiedBy, DataHash, SchemaHash, UpdatedAt, Comment);

    /// <summary>Creates the metadata of the next revision of the same key, keeping only <see cref="CreatedAt"/> and the history.</summary>
    /// <param name="updatedAt">When the next revision is written.</param>
    /// <returns>Metadata with <see cref="Version"/> one higher and the same <see cref="CreatedAt"/>.</returns>
    public EntryMetadata Next(DateTimeOffset updatedAt) => new(Version + 1, CreatedAt, updatedAt) { RevisionHistory = RevisionHistory };

    /// <inheritdoc/>
    public override string ToString() => $"v{Version} (created {CreatedAt:O}, updated {UpdatedAt:O})";
}
