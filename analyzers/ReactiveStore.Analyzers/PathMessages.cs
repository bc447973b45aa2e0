namespace ReactiveStore.Analyzers;

/// <summary>Checks path, selector and segment text with the runtime's grammar and words the problem the way the runtime does.</summary>
internal static class PathMessages
{
    /// <summary>The problem with a path or selector, or <see langword="null"/> when it is valid.</summary>
    public static string? CheckPath(string? text, bool selector, bool rejectReserved)
    {
        if (!PathGrammar.TryValidate(text, selector, out _, out PathError error))
        {
            return PathGrammar.FormatMessage(text, error, selector);
        }

        if (rejectReserved && PathGrammar.HasReservedSegment(text!))
        {
            return "Invalid " + (selector ? "selector" : "path") + " '" + text + "': segments starting with '"
                + PathGrammar.ReservedPrefix + "' are reserved for the system.";
        }

        return null;
    }

    /// <summary>The problem with a <c>StateMap</c> key, or <see langword="null"/> when it is valid: any non-empty string is a key (it is
    /// encoded into one segment), unless its entry path would exceed the path length limit whatever the map's path.</summary>
    public static string? CheckMapKey(string text)
    {
        if (text.Length == 0)
        {
            return "Invalid map key '': a map key cannot be empty (any non-empty string is a key)";
        }

        string segment = MapKeyGrammar.Encode(text);
        return segment.Length > PathGrammar.MaxLength - 2
            ? "Map key of " + text.Length + " characters encodes to a segment of " + segment.Length + " characters, over the path limit of " + PathGrammar.MaxLength
            : null;
    }

    /// <summary>The problem with a single segment, or <see langword="null"/> when it is valid.</summary>
    public static string? CheckSegment(string? text, bool rejectReserved)
    {
        if (!PathGrammar.TryValidateSegment(text, out PathError error))
        {
            return PathGrammar.FormatSegmentMessage(text, error);
        }

        if (rejectReserved && text!.StartsWith(PathGrammar.ReservedPrefix, System.StringComparison.Ordinal))
        {
            return "Invalid path segment '" + text + "': segments starting with '" + PathGrammar.ReservedPrefix + "' are reserved for the system.";
        }

        return null;
    }
}
