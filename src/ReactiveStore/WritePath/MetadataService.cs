namespace ReactiveStore;

/// <summary>The default metadata service: versions, times, expiry, tags, authorship, hashes, and a bounded revision history, newest first.</summary>
public sealed class MetadataService : IMetadataService
{
    /// <summary>Creates the service.</summary>
    /// <param name="maxRevisions">How many revisions the history keeps (0 keeps none).</param>
    public MetadataService(int maxRevisions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRevisions);
        MaxRevisions = maxRevisions;
    }

    /// <summary>Gets how many revisions the history keeps.</summary>
    public int MaxRevisions { get; }

    /// <inheritdoc/>
    public EntryMetadata Create(StatePath path, SetOptions? options, string? dataHash, DateTimeOffset now) =>
        Build(1, now, null, options, dataHash, now);

    /// <inheritdoc/>
    public EntryMetadata Next(EntryMetadata current, SetOptions? options, string? dataHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return Build(current.Version + 1, current.CreatedAt, current, options, dataHash, now);
    }

    private EntryMetadata Build(long version, DateTimeOffset createdAt, EntryMetadata? previous, SetOptions? options, string? dataHash, DateTimeOffset now)
    {
        string? modifiedBy = options?.ModifiedBy;
        string? comment = options?.Comment;
        string? schemaHash = options?.SchemaHash;
        return new EntryMetadata(version, createdAt, now)
        {
            ExpiresAt = options?.ExpiresAt ?? (options?.Ttl is { } ttl ? now + ttl : null),
            Tags = options?.Tags is { } tags ? [.. tags] : previous?.Tags ?? [],
            ModifiedBy = modifiedBy,
            Comment = comment,
            DataHash = dataHash,
            SchemaHash = schemaHash,
            RevisionHistory = MaxRevisions == 0 ? [] : History(new EntryRevision(version, modifiedBy, dataHash, schemaHash, now, comment), previous?.RevisionHistory),
        };
    }

    private EntryRevision[] History(EntryRevision newest, IReadOnlyList<EntryRevision>? older)
    {
        int olderCount = Math.Min(older?.Count ?? 0, MaxRevisions - 1);
        var history = new EntryRevision[olderCount + 1];
        history[0] = newest;
        for (int i = 0; i < olderCount; i++)
        {
            history[i + 1] = older![i];
        }

        return history;
    }
}
