namespace ReactiveStore;

/// <summary>Creates the metadata of a new entry and of the next revision of an existing one.</summary>
/// <remarks>The write path fills in <see cref="EntryMetadata.DataHash"/> afterwards (lazily, unless a service sets it),
/// so a service need not hash anything.</remarks>
public interface IMetadataService
{
    /// <summary>Creates the metadata of a key's first revision.</summary>
    /// <param name="path">The path written.</param>
    /// <param name="options">The write's options, if any.</param>
    /// <param name="now">The store clock's current time.</param>
    /// <returns>The metadata (version 1).</returns>
    EntryMetadata Create(StatePath path, SetOptions? options, DateTimeOffset now);

    /// <summary>Creates the metadata of the next revision of an existing entry.</summary>
    /// <param name="current">The current metadata.</param>
    /// <param name="options">The write's options, if any.</param>
    /// <param name="now">The store clock's current time.</param>
    /// <returns>The metadata (version one higher).</returns>
    EntryMetadata Next(EntryMetadata current, SetOptions? options, DateTimeOffset now);
}
