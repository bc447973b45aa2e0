namespace ReactiveStore;

/// <summary>One past (or the current) revision of an entry, as kept in <see cref="EntryMetadata.RevisionHistory"/>.</summary>
/// <param name="Version">The per-key version of the revision.</param>
/// <param name="ModifiedBy">Who wrote it.</param>
/// <param name="DataHash">The hash of the value it wrote.</param>
/// <param name="SchemaHash">The schema hash it was written against.</param>
/// <param name="Timestamp">When it was written.</param>
/// <param name="Comment">The writer's comment.</param>
public sealed record EntryRevision(long Version, string? ModifiedBy, string? DataHash, string? SchemaHash, DateTimeOffset Timestamp, string? Comment);
