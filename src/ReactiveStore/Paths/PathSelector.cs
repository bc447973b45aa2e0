using System;
using System.Diagnostics.CodeAnalysis;

namespace ReactiveStore;

/// <summary>A subscription selector: a path whose segments may be <c>*</c> (SPEC §3).</summary>
/// <remarks>Immutable and thread-safe; matching does not allocate.</remarks>
public sealed class PathSelector : IEquatable<PathSelector>
{
    private readonly string _text;
    private readonly string[] _segments;
    private readonly bool _hasTrailingWildcard;
    private readonly bool _isExact;

    private PathSelector(string text, int segmentCount)
    {
        _text = text;
        _segments = text.Split(PathGrammar.Separator);
        _hasTrailingWildcard = IsWildcard(_segments[segmentCount - 1]);
        _isExact = text.IndexOf(PathGrammar.Wildcard, StringComparison.Ordinal) < 0;
    }

    /// <summary>The number of segments, counting each <c>*</c>.</summary>
    public int SegmentCount => _segments.Length;

    /// <summary>Whether the last segment is <c>*</c> (matches every strict descendant of the prefix).</summary>
    public bool HasTrailingWildcard => _hasTrailingWildcard;

    /// <summary>Whether the selector has no <c>*</c> at all.</summary>
    public bool IsExact => _isExact;

    /// <summary>Whether the selector is <c>*</c> alone, matching every path.</summary>
    public bool MatchesEverything => _segments.Length == 1 && _hasTrailingWildcard;

    /// <summary>The depth of the path a match reports as current: the segment count, less one for a trailing <c>*</c>.</summary>
    public int AnchorDepth => _hasTrailingWildcard ? _segments.Length - 1 : _segments.Length;

    /// <summary>The segment at <paramref name="index"/> (zero-based); <c>*</c> for a wildcard.</summary>
    public string this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_segments.Length)
            {
                ThrowIndexOutOfRange(index);
            }

            return _segments[index];
        }
    }

    /// <summary>Equality of the selector text (ordinal).</summary>
    public static bool operator ==(PathSelector? left, PathSelector? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>Inequality of the selector text (ordinal).</summary>
    public static bool operator !=(PathSelector? left, PathSelector? right) => !(left == right);

    /// <summary>Parses a selector; throws <see cref="InvalidPathException"/> when it is not valid.</summary>
    public static PathSelector Parse(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (!PathGrammar.TryValidate(selector, allowWildcards: true, out int segmentCount, out PathError error))
        {
            throw new InvalidPathException(
                PathGrammar.FormatMessage(selector, error, selector: true), selector, error.Position);
        }

        return new PathSelector(selector, segmentCount);
    }

    /// <summary>Parses a selector; returns false (and null) when it is null or not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? selector, [NotNullWhen(true)] out PathSelector? result)
    {
        if (PathGrammar.TryValidate(selector, allowWildcards: true, out int segmentCount, out _))
        {
            result = new PathSelector(selector!, segmentCount);
            return true;
        }

        result = null;
        return false;
    }

    /// <summary>Whether <paramref name="path"/> matches; with <paramref name="bubble"/>, an exact prefix also matches descendants.</summary>
    public bool IsMatch(StatePath path, bool bubble = true) => TryMatch(path, bubble, out _);

    /// <summary>Matches <paramref name="path"/> and reports the depth of the path the match is anchored at.</summary>
    public bool TryMatch(StatePath path, bool bubble, out int currentDepth)
    {
        int depth = path.Depth;
        int prefixCount = AnchorDepth;
        currentDepth = 0;

        if (_hasTrailingWildcard)
        {
            // A trailing '*' needs at least one segment beyond the prefix; bubbling is irrelevant.
            if (depth <= prefixCount)
            {
                return false;
            }
        }
        else if (depth < prefixCount || (depth > prefixCount && !bubble))
        {
            return false;
        }

        if (!PrefixMatches(path, prefixCount))
        {
            return false;
        }

        currentDepth = prefixCount;
        return true;
    }

    /// <summary>Ordinal equality of the selector text.</summary>
    public bool Equals(PathSelector? other) =>
        other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PathSelector);

    /// <inheritdoc/>
    public override int GetHashCode() => _text.GetHashCode(StringComparison.Ordinal);

    /// <summary>The selector text.</summary>
    public override string ToString() => _text;

    private static bool IsWildcard(string segment) => segment.Length == 1 && segment[0] == PathGrammar.Wildcard;

    // The caller has checked that the path has at least prefixCount segments.
    private bool PrefixMatches(StatePath path, int prefixCount)
    {
        if (prefixCount == 0)
        {
            return true;
        }

        string value = path.Value;
        if (_isExact)
        {
            return value.StartsWith(_text, StringComparison.Ordinal)
                && (value.Length == _text.Length || value[_text.Length] == PathGrammar.Separator);
        }

        PathSegments segments = path.Segments;
        for (int i = 0; i < prefixCount; i++)
        {
            segments.MoveNext();
            string expected = _segments[i];
            if (!IsWildcard(expected) && !segments.Current.SequenceEqual(expected))
            {
                return false;
            }
        }

        return true;
    }

    [DoesNotReturn]
    private static void ThrowIndexOutOfRange(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, "The index must be at least 0 and less than SegmentCount.");
}
