using System.Collections;

namespace ReactiveStore;

/// <summary>Options for one write: authorship, tags, expiry, schema, compare-and-set, equality and a payload for subscribers.</summary>
public sealed record SetOptions
{
    /// <summary>Gets who makes the write; kept in <see cref="EntryMetadata.ModifiedBy"/> and the revision history.</summary>
    public string? ModifiedBy { get; init; }

    /// <summary>Gets a comment on the write; kept in <see cref="EntryMetadata.Comment"/> and the revision history.</summary>
    public string? Comment { get; init; }

    /// <summary>Gets tags to attach to the entry (replacing the previous tags); <see langword="null"/> keeps the previous tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Gets how long the entry lives after this write; it then reads as missing and is deleted with an event.</summary>
    /// <remarks>Set at most one of <see cref="Ttl"/> and <see cref="ExpiresAt"/>. Neither keeps no expiry.</remarks>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Gets the moment the entry expires; see <see cref="Ttl"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the hash of the schema the value conforms to; kept in <see cref="EntryMetadata.SchemaHash"/>.</summary>
    public string? SchemaHash { get; init; }

    /// <summary>Gets the per-key version the writer expects to replace (compare-and-set); 0 means "the key must not exist".</summary>
    /// <remarks>A mismatch throws <see cref="VersionConflictException"/> and writes nothing.</remarks>
    public long? ExpectedVersion { get; init; }

    /// <summary>Gets the comparer that decides whether the new value equals the stored one (equal writes are skipped).</summary>
    /// <remarks>An <see cref="IEqualityComparer{T}"/> of the written type is used typed; otherwise the non-generic comparer is used.</remarks>
    public IEqualityComparer? Comparer { get; init; }

    /// <summary>Gets an object handed to subscribers as <see cref="StateEvent.Payload"/>.</summary>
    public object? Payload { get; init; }

    /// <summary>Checks that the options are consistent.</summary>
    /// <exception cref="ArgumentException">Both <see cref="Ttl"/> and <see cref="ExpiresAt"/> are set, the TTL is not positive,
    /// or <see cref="ExpectedVersion"/> is negative.</exception>
    public void Validate()
    {
        if (Ttl is not null && ExpiresAt is not null)
        {
            throw new ArgumentException("Set either SetOptions.Ttl or SetOptions.ExpiresAt, not both.");
        }

        if (Ttl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SetOptions.Ttl must be positive; it is {ttl}.");
        }

        if (ExpectedVersion is < 0)
        {
            throw new ArgumentException($"SetOptions.ExpectedVersion cannot be negative; it is {ExpectedVersion}.");
        }
    }
}
