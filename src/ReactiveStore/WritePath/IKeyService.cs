namespace ReactiveStore;

/// <summary>Turns store paths into the keys a storage driver sees, and back.</summary>
public interface IKeyService
{
    /// <summary>Serializes a path to a storage key.</summary>
    /// <param name="path">The path (never the root).</param>
    /// <returns>The key.</returns>
    string Serialize(StatePath path);

    /// <summary>Parses a storage key back to a path.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The path.</returns>
    /// <exception cref="InvalidPathException">The key does not name a valid path.</exception>
    StatePath Parse(string key);
}
