namespace ReactiveStore.Storage;

/// <summary>Validates keys and prefixes handed to the drivers that map keys onto something with structure (folders, mounts).</summary>
internal static class StorageKeyGrammar
{
    /// <summary>Throws unless <paramref name="key"/> is a dotted path (SPEC §2); the message quotes the key and names the problem.</summary>
    public static void ThrowIfInvalid(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (!PathGrammar.TryValidate(key, allowWildcards: false, out _, out PathError error))
        {
            throw new InvalidPathException($"Invalid storage key ({paramName}): {PathGrammar.FormatMessage(key, error, selector: false)}", key, error.Position);
        }
    }

    /// <summary>Throws unless <paramref name="prefix"/> is <c>""</c> (every key) or a dotted path.</summary>
    public static void ThrowIfInvalidPrefix(string prefix, string paramName)
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length != 0)
        {
            ThrowIfInvalid(prefix, paramName);
        }
    }

    /// <summary>Gets whether <paramref name="text"/> is one valid path segment.</summary>
    public static bool IsSegment(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!PathGrammar.IsSegmentChar(c))
            {
                return false;
            }
        }

        return true;
    }
}
