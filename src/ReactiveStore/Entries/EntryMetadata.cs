namespace ReactiveStore;

/// <summary>Bookkeeping the store keeps for every stored value.</summary>
/// <remarks>Instances are immutable: every committed write creates a new one.</remarks>
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

    /// <summary>Creates the metadata of the next revision of the same key.</summary>
    /// <param name="updatedAt">When the next revision is written.</param>
    /// <returns>Metadata with <see cref="Version"/> one higher and the same <see cref="CreatedAt"/>.</returns>
    public EntryMetadata Next(DateTimeOffset updatedAt) => new(Version + 1, CreatedAt, updatedAt);

    /// <inheritdoc/>
    public override string ToString() => $"v{Version} (created {CreatedAt:O}, updated {UpdatedAt:O})";
}
