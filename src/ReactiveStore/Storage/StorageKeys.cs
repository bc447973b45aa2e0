namespace ReactiveStore.Storage;

/// <summary>Helpers for drivers working with serialized dotted keys.</summary>
public static class StorageKeys
{
    /// <summary>Gets whether <paramref name="key"/> equals <paramref name="prefix"/> or lies below it; every key lies below <c>""</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="prefix">The prefix.</param>
    /// <returns>Whether the key is at or below the prefix.</returns>
    public static bool IsAtOrBelow(string key, string prefix)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return true;
        }

        return key.StartsWith(prefix, StringComparison.Ordinal) && (key.Length == prefix.Length || key[prefix.Length] == '.');
    }
}
