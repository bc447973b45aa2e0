// The one copy of the path and selector grammar (SPEC §2–3). This file is linked as source into
// the netstandard2.0 analyzers, so it uses only string, char and int APIs available there: no
// spans, no records or init accessors, no newer BCL members.
using System.Globalization;
using System.Text;

namespace ReactiveStore;

/// <summary>What is wrong with a path, selector or segment text.</summary>
internal enum PathErrorKind
{
    /// <summary>The text is valid.</summary>
    None,

    /// <summary>The text is null.</summary>
    Null,

    /// <summary>The text is empty.</summary>
    Empty,

    /// <summary>A segment between dots (or at either end) is empty.</summary>
    EmptySegment,

    /// <summary>A character outside <c>[A-Za-z0-9_]</c>, '.' and (in selectors) '*'.</summary>
    InvalidCharacter,

    /// <summary>A '*' shares its segment with other characters.</summary>
    PartialWildcard,

    /// <summary>More than <see cref="PathGrammar.MaxSegments"/> segments.</summary>
    TooManySegments,

    /// <summary>More than <see cref="PathGrammar.MaxLength"/> characters.</summary>
    TooLong,
}

/// <summary>The first problem found in a path, selector or segment text.</summary>
internal readonly struct PathError
{
    /// <summary>Creates an error description.</summary>
    public PathError(PathErrorKind kind, int position, int segment, char character, int count)
    {
        Kind = kind;
        Position = position;
        Segment = segment;
        Character = character;
        Count = count;
    }

    /// <summary>What is wrong.</summary>
    public PathErrorKind Kind { get; }

    /// <summary>Zero-based character position the error is about, or -1 when it is not about a character.</summary>
    public int Position { get; }

    /// <summary>One-based number of the offending segment, or 0 when not about one segment.</summary>
    public int Segment { get; }

    /// <summary>The offending character for <see cref="PathErrorKind.InvalidCharacter"/>.</summary>
    public char Character { get; }

    /// <summary>The segment or character count for the limit errors.</summary>
    public int Count { get; }
}

/// <summary>Validates paths, selectors and segments and words the error messages.</summary>
internal static class PathGrammar
{
    /// <summary>The most segments a path or selector may have.</summary>
    public const int MaxSegments = 64;

    /// <summary>The most characters a path or selector may have.</summary>
    public const int MaxLength = 1024;

    /// <summary>A segment starting with this prefix is reserved for the system.</summary>
    public const string ReservedPrefix = "__";

    /// <summary>Separates segments.</summary>
    public const char Separator = '.';

    /// <summary>A selector segment that matches any segment.</summary>
    public const char Wildcard = '*';

    private const int QuoteLimit = 80;

    /// <summary>Whether <paramref name="c"/> may appear in a segment.</summary>
    public static bool IsSegmentChar(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';

    /// <summary>Validates a path (or, with <paramref name="allowWildcards"/>, a selector) and counts its segments.</summary>
    public static bool TryValidate(string? text, bool allowWildcards, out int segmentCount, out PathError error)
    {
        segmentCount = 0;
        if (text is null)
        {
            error = new PathError(PathErrorKind.Null, -1, 0, '\0', 0);
            return false;
        }

        if (text.Length == 0)
        {
            error = new PathError(PathErrorKind.Empty, -1, 0, '\0', 0);
            return false;
        }

        int segment = 1;
        int segmentStart = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == Separator)
            {
                if (i == segmentStart)
                {
                    error = new PathError(PathErrorKind.EmptySegment, segmentStart, segment, '\0', 0);
                    return false;
                }

                segment++;
                segmentStart = i + 1;
                continue;
            }

            char c = text[i];
            if (IsSegmentChar(c))
            {
                continue;
            }

            if (c == Wildcard && allowWildcards)
            {
                // A '*' followed by an invalid character reports that character instead (next round).
                if (i != segmentStart
                    || (i + 1 < text.Length && (IsSegmentChar(text[i + 1]) || text[i + 1] == Wildcard)))
                {
                    error = new PathError(PathErrorKind.PartialWildcard, i, segment, c, 0);
                    return false;
                }

                continue;
            }

            error = new PathError(PathErrorKind.InvalidCharacter, i, segment, c, 0);
            return false;
        }

        // The loop counted one past the last segment.
        segment--;
        if (!TryCheckLimits(segment, text.Length, out error))
        {
            return false;
        }

        segmentCount = segment;
        return true;
    }

    /// <summary>Validates a single segment (no separators, no wildcards).</summary>
    public static bool TryValidateSegment(string? segment, out PathError error)
    {
        if (segment is null)
        {
            error = new PathError(PathErrorKind.Null, -1, 0, '\0', 0);
            return false;
        }

        if (segment.Length == 0)
        {
            error = new PathError(PathErrorKind.Empty, -1, 0, '\0', 0);
            return false;
        }

        for (int i = 0; i < segment.Length; i++)
        {
            if (!IsSegmentChar(segment[i]))
            {
                error = new PathError(PathErrorKind.InvalidCharacter, i, 1, segment[i], 0);
                return false;
            }
        }

        return TryCheckLimits(1, segment.Length, out error);
    }

    /// <summary>Checks the segment and character limits for an otherwise valid path.</summary>
    public static bool TryCheckLimits(int segmentCount, int length, out PathError error)
    {
        if (segmentCount > MaxSegments)
        {
            error = new PathError(PathErrorKind.TooManySegments, -1, 0, '\0', segmentCount);
            return false;
        }

        if (length > MaxLength)
        {
            error = new PathError(PathErrorKind.TooLong, -1, 0, '\0', length);
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>Words the message for an invalid path or selector.</summary>
    public static string FormatMessage(string? input, PathError error, bool selector) =>
        Format(input, error, selector ? "selector" : "path", selector ? "a selector" : "a path", nameSegment: true);

    /// <summary>Words the message for an invalid single segment (the input is the segment, so it is not named again).</summary>
    public static string FormatSegmentMessage(string? segment, PathError error) =>
        Format(segment, error, "path segment", "a segment", nameSegment: false);

    /// <summary>Whether a valid path or selector has a segment starting with <see cref="ReservedPrefix"/>.</summary>
    public static bool HasReservedSegment(string text)
    {
        for (int i = 0; i + 1 < text.Length; i++)
        {
            if ((i == 0 || text[i - 1] == Separator) && text[i] == '_' && text[i + 1] == '_')
            {
                return true;
            }
        }

        return false;
    }

    private static string Format(string? input, PathError error, string noun, string subject, bool nameSegment)
    {
        if (error.Kind == PathErrorKind.Null)
        {
            return "Invalid " + noun + ": the input is null.";
        }

        string head = "Invalid " + noun + " '" + Quote(input) + "': ";
        switch (error.Kind)
        {
            case PathErrorKind.Empty:
                return head + subject + " is empty.";
            case PathErrorKind.EmptySegment:
                return head + "segment " + Number(error.Segment) + " is empty (at position " + Number(error.Position) + ").";
            case PathErrorKind.InvalidCharacter:
                string rule = "; a segment uses only A-Z, a-z, 0-9 and '_'"
                    + (error.Character == Wildcard ? " (a wildcard '*' is only valid in a selector)." : ".");
                if (!nameSegment)
                {
                    return head + "character " + DescribeCharacter(input, error) + " at position " + Number(error.Position) + " is not allowed" + rule;
                }

                return head + NameSegment(input, error) + " has character " + DescribeCharacter(input, error)
                    + " at position " + Number(error.Position) + rule;
            case PathErrorKind.PartialWildcard:
                return head + NameSegment(input, error) + " has '*' at position " + Number(error.Position)
                    + "; a wildcard '*' must be a whole segment.";
            case PathErrorKind.TooManySegments:
                return head + Number(error.Count) + " segments exceed the limit of " + Number(MaxSegments) + ".";
            case PathErrorKind.TooLong:
                return head + Number(error.Count) + " characters exceed the limit of " + Number(MaxLength) + ".";
            default:
                return head + "it is not valid.";
        }
    }

    /// <summary>Names the segment an error is in: its 1-based number and its text (quoted like the input).</summary>
    private static string NameSegment(string? input, PathError error)
    {
        string text = string.Empty;
        if (input != null && error.Position >= 0 && error.Position < input.Length)
        {
            int start = error.Position == 0 ? 0 : input.LastIndexOf(Separator, error.Position - 1) + 1;
            int end = input.IndexOf(Separator, error.Position);
            text = input.Substring(start, (end < 0 ? input.Length : end) - start);
        }

        return "segment " + Number(error.Segment) + " '" + Quote(text) + "'";
    }

    private static string Quote(string? input)
    {
        if (input is null || input.Length <= QuoteLimit)
        {
            return input ?? string.Empty;
        }

        // Never cut a surrogate pair in half.
        int cut = char.IsHighSurrogate(input[QuoteLimit - 1]) ? QuoteLimit - 1 : QuoteLimit;
        // StringBuilder rather than span concatenation: this file also compiles for netstandard2.0.
        return new StringBuilder(cut + 1).Append(input, 0, cut).Append('…').ToString();
    }

    private static string DescribeCharacter(string? input, PathError error)
    {
        char c = error.Character;
        int position = error.Position;
        if (c > ' ' && c < '\u007f')
        {
            return "'" + c + "'";
        }

        if (char.IsHighSurrogate(c) && input != null && position >= 0 && position + 1 < input.Length
            && char.IsLowSurrogate(input[position + 1]))
        {
            int codePoint = char.ConvertToUtf32(c, input[position + 1]);
            return "'" + input.Substring(position, 2) + "' (U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture) + ")";
        }

        string code = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        if (char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c))
        {
            return code;
        }

        return "'" + c + "' (" + code + ")";
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
