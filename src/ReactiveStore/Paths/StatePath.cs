using System;
using System.Diagnostics.CodeAnalysis;

namespace ReactiveStore;

/// <summary>A validated dotted path such as <c>users.alice.name</c>; <c>default</c> is <see cref="Root"/>.</summary>
/// <remarks>Immutable and allocation-free for depth, equality, ordering and ancestry checks.</remarks>
public readonly struct StatePath : IEquatable<StatePath>, IComparable<StatePath>, IComparable
{
    /// <summary>The most segments a path may have.</summary>
    public const int MaxDepth = PathGrammar.MaxSegments;

    /// <summary>The most characters a path may have.</summary>
    public const int MaxLength = PathGrammar.MaxLength;

    private readonly string? _value;
    private readonly int _depth;

    private StatePath(string value, int depth)
    {
        _value = value;
        _depth = depth;
    }

    /// <summary>The empty path: the parent of every one-segment path, never a key itself.</summary>
    public static StatePath Root => default;

    /// <summary>The number of segments; 0 for <see cref="Root"/>.</summary>
    public int Depth => _depth;

    /// <summary>Whether this is <see cref="Root"/>.</summary>
    public bool IsRoot => _depth == 0;

    /// <summary>The last segment; "" for <see cref="Root"/>.</summary>
    public string Name
    {
        get
        {
            string value = Value;
            int lastDot = value.LastIndexOf(PathGrammar.Separator);
            return lastDot < 0 ? value : value.Substring(lastDot + 1);
        }
    }

    /// <summary>The path without its last segment; <see cref="Root"/> for a one-segment path.</summary>
    public StatePath Parent
    {
        get
        {
            if (_depth == 0)
            {
                ThrowRootHasNoParent();
            }

            string value = Value;
            int lastDot = value.LastIndexOf(PathGrammar.Separator);
            return lastDot < 0 ? default : new StatePath(value.Substring(0, lastDot), _depth - 1);
        }
    }

    /// <summary>Whether some segment starts with the reserved prefix <c>__</c>.</summary>
    public bool IsReserved => PathGrammar.HasReservedSegment(Value);

    /// <summary>The dotted text; "" for <see cref="Root"/>.</summary>
    internal string Value => _value ?? string.Empty;

    /// <summary>The segment at <paramref name="index"/> (zero-based).</summary>
    public string this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_depth)
            {
                ThrowIndexOutOfRange(index);
            }

            PathSegments segments = Segments;
            for (int i = 0; i <= index; i++)
            {
                segments.MoveNext();
            }

            return Value.Substring(segments.CurrentStart, segments.CurrentLength);
        }
    }

    /// <summary>The segments as spans, without allocating.</summary>
    internal PathSegments Segments => new(Value);

    /// <summary>Equality of two paths (ordinal).</summary>
    public static bool operator ==(StatePath left, StatePath right) => left.Equals(right);

    /// <summary>Inequality of two paths (ordinal).</summary>
    public static bool operator !=(StatePath left, StatePath right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    public static bool operator <(StatePath left, StatePath right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> sorts before or equals <paramref name="right"/>.</summary>
    public static bool operator <=(StatePath left, StatePath right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    public static bool operator >(StatePath left, StatePath right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> sorts after or equals <paramref name="right"/>.</summary>
    public static bool operator >=(StatePath left, StatePath right) => left.CompareTo(right) >= 0;

    /// <summary>Parses a non-empty dotted path; throws <see cref="InvalidPathException"/> when it is not valid.</summary>
    public static StatePath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!PathGrammar.TryValidate(path, allowWildcards: false, out int depth, out PathError error))
        {
            throw Invalid(path, error);
        }

        return new StatePath(path, depth);
    }

    /// <summary>Parses a non-empty dotted path; returns false (and <see cref="Root"/>) when it is null or not valid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? path, out StatePath result)
    {
        if (PathGrammar.TryValidate(path, allowWildcards: false, out int depth, out _))
        {
            result = new StatePath(path!, depth);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Wraps text that is already known to be a valid path, without checking it.</summary>
    internal static StatePath FromValidated(string value) =>
        value.Length == 0 ? default : new StatePath(value, PathSegments.CountSegments(value));

    /// <summary>Wraps text that is already known to be a valid path of <paramref name="depth"/> segments.</summary>
    internal static StatePath FromValidated(string value, int depth) =>
        depth == 0 ? default : new StatePath(value, depth);

    /// <summary>The child path with one more segment; throws <see cref="InvalidPathException"/> for an invalid segment or a path over the limits.</summary>
    public StatePath Append(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (!PathGrammar.TryValidateSegment(segment, out PathError error))
        {
            throw new InvalidPathException(PathGrammar.FormatSegmentMessage(segment, error), segment, error.Position);
        }

        return _depth == 0 ? new StatePath(segment, 1) : Combine(Value, segment, _depth + 1);
    }

    /// <summary>This path followed by the segments of <paramref name="relative"/>.</summary>
    public StatePath Append(StatePath relative)
    {
        if (relative._depth == 0)
        {
            return this;
        }

        return _depth == 0 ? relative : Combine(Value, relative.Value, _depth + relative._depth);
    }

    /// <summary>Whether this path is a strict ancestor of <paramref name="other"/>; <see cref="Root"/> is an ancestor of every other path.</summary>
    public bool IsAncestorOf(StatePath other) => _depth < other._depth && IsPrefixOf(other);

    /// <summary>Whether this path equals <paramref name="other"/> or is an ancestor of it.</summary>
    public bool IsAncestorOrSelfOf(StatePath other) => _depth <= other._depth && IsPrefixOf(other);

    /// <summary>The ancestor (or this path) with <paramref name="depth"/> segments.</summary>
    public StatePath GetAncestor(int depth)
    {
        if ((uint)depth > (uint)_depth)
        {
            ThrowDepthOutOfRange(depth);
        }

        if (depth == _depth)
        {
            return this;
        }

        if (depth == 0)
        {
            return default;
        }

        string value = Value;
        int end = -1;
        for (int i = 0; i < depth; i++)
        {
            end = value.IndexOf(PathGrammar.Separator, end + 1);
        }

        return new StatePath(value.Substring(0, end), depth);
    }

    /// <summary>Ordinal equality of the dotted text.</summary>
    public bool Equals(StatePath other) =>
        _depth == other._depth && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StatePath other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    /// <summary>Segment-wise ordinal order: a path sorts right after its parent and before its later siblings.</summary>
    public int CompareTo(StatePath other) =>
        // '.' sorts below every segment character, and a prefix sorts first, so a plain ordinal
        // comparison of the dotted text is the segment-wise order (a pre-order of the tree).
        string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc/>
    int IComparable.CompareTo(object? obj)
    {
        if (obj is null)
        {
            return 1;
        }

        if (obj is StatePath other)
        {
            return CompareTo(other);
        }

        throw new ArgumentException("The object is not a StatePath.", nameof(obj));
    }

    /// <summary>The dotted form; "" for <see cref="Root"/>.</summary>
    public override string ToString() => Value;

    private static StatePath Combine(string head, string tail, int depth)
    {
        string combined = string.Concat(head, ".", tail);
        if (!PathGrammar.TryCheckLimits(depth, combined.Length, out PathError error))
        {
            throw Invalid(combined, error);
        }

        return new StatePath(combined, depth);
    }

    private bool IsPrefixOf(StatePath other)
    {
        if (_depth == 0)
        {
            return true;
        }

        string value = _value!;
        string otherValue = other._value!;
        return otherValue.StartsWith(value, StringComparison.Ordinal)
            && (otherValue.Length == value.Length || otherValue[value.Length] == PathGrammar.Separator);
    }

    private static InvalidPathException Invalid(string input, PathError error) =>
        new(PathGrammar.FormatMessage(input, error, selector: false), input, error.Position);

    [DoesNotReturn]
    private static void ThrowRootHasNoParent() =>
        throw new InvalidOperationException("The root path has no parent.");

    [DoesNotReturn]
    private static void ThrowIndexOutOfRange(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, "The index must be at least 0 and less than Depth.");

    [DoesNotReturn]
    private static void ThrowDepthOutOfRange(int depth) =>
        throw new ArgumentOutOfRangeException(nameof(depth), depth, "The depth must be at least 0 and at most Depth.");
}
