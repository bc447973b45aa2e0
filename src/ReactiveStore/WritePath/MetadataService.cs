namespace ReactiveStore;

/// <summary>The default metadata service: versions, times, expiry, tags, authorship, and a bounded revision history,
/// newest first.</summary>
/// <remarks>Thread-safe and stateless apart from its setting. The history is not copied on every write: each revision
/// links to the one before it and <see cref="EntryMetadata.RevisionHistory"/> is built when read.</remarks>
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
    public EntryMetadata Create(StatePath path, SetOptions? options, DateTimeOffset now) => Build(1, now, null, options, now);

    /// <inheritdoc/>
    public EntryMetadata Next(EntryMetadata current, SetOptions? options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return Build(current.Version + 1, current.CreatedAt, current, options, now);
    }

    /// <summary>Computes when a write with <paramref name="options"/> at <paramref name="now"/> expires.</summary>
    /// <param name="options">The write's options.</param>
    /// <param name="now">The store clock's current time.</param>
    /// <returns>The expiry, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The TTL reaches past <see cref="DateTimeOffset.MaxValue"/>.</exception>
    public static DateTimeOffset? ExpiryOf(SetOptions? options, DateTimeOffset now)
    {
        if (options?.ExpiresAt is { } at)
        {
            return at;
        }

        if (options?.Ttl is { } ttl)
        {
            if (ttl > DateTimeOffset.MaxValue - now)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(options),
                    ttl,
                    $"SetOptions.Ttl {ttl} from {now:O} reaches past the latest representable time ({DateTimeOffset.MaxValue:O}); use a shorter TTL, or no expiry.");
            }

            return now + ttl;
        }

        return null;
    }

    private EntryMetadata Build(long version, DateTimeOffset createdAt, EntryMetadata? previous, SetOptions? options, DateTimeOffset now)
    {
        IReadOnlyList<string> tags = options?.Tags is { } given ? [.. given] : previous?.Tags ?? [];
        var metadata = options is null
            ? new EntryMetadata(version, createdAt, now, tags, null, null, null, null)
            : new EntryMetadata(version, createdAt, now, tags, ExpiryOf(options, now), options.ModifiedBy, options.Comment, options.SchemaHash);
        metadata.LinkHistory(previous, MaxRevisions);
        return metadata;
    }
}
