using System;

namespace ReactiveStore;

/// <summary>Enumerates the segments of a validated path string as spans, without allocating.</summary>
/// <remarks>Runtime only (not linked into the analyzers). A mutable struct: enumerate a copy, never share one.</remarks>
internal struct PathSegments
{
    private readonly string _value;
    private int _start;
    private int _end;

    /// <summary>Starts an enumeration over <paramref name="value"/> (a validated path; "" for the root).</summary>
    public PathSegments(string value)
    {
        _value = value;
        _start = 0;
        _end = -1;
    }

    /// <summary>The current segment.</summary>
    public readonly ReadOnlySpan<char> Current => _value.AsSpan(_start, _end - _start);

    /// <summary>Position of the current segment's first character in the path string.</summary>
    public readonly int CurrentStart => _start;

    /// <summary>Length of the current segment.</summary>
    public readonly int CurrentLength => _end - _start;

    /// <summary>Counts the segments of a validated path string: 0 for "", else dots plus one.</summary>
    public static int CountSegments(string value) =>
        value.Length == 0 ? 0 : value.AsSpan().Count(PathGrammar.Separator) + 1;

    /// <summary>Lets <c>foreach</c> run over the segments.</summary>
    public readonly PathSegments GetEnumerator() => this;

    /// <summary>Moves to the next segment.</summary>
    public bool MoveNext()
    {
        if (_value.Length == 0 || _end == _value.Length)
        {
            return false;
        }

        int next = _end + 1;
        _start = next;
        int dot = _value.IndexOf(PathGrammar.Separator, next);
        _end = dot < 0 ? _value.Length : dot;
        return true;
    }
}
