using System;
using System.Linq;

namespace ReactiveStore.Tests.Paths;

public class PathGrammarTests
{
    [Theory]
    [InlineData("a", 1)]
    [InlineData("a.b", 2)]
    [InlineData("A_b.0.__x", 3)]
    [InlineData("_", 1)]
    public void ValidPathsReportTheirSegmentCount(string text, int expected)
    {
        Assert.True(PathGrammar.TryValidate(text, allowWildcards: false, out int count, out PathError error));
        Assert.Equal(expected, count);
        Assert.Equal(PathErrorKind.None, error.Kind);
    }

    [Theory]
    [InlineData("a..b", "EmptySegment", 2, 2)]
    [InlineData(".a", "EmptySegment", 0, 1)]
    [InlineData("a.", "EmptySegment", 2, 2)]
    [InlineData(".", "EmptySegment", 0, 1)]
    [InlineData("a.b-c", "InvalidCharacter", 3, 2)]
    [InlineData("a*", "InvalidCharacter", 1, 1)]
    public void InvalidPathsReportKindPositionAndSegment(string text, string kind, int position, int segment)
    {
        Assert.False(PathGrammar.TryValidate(text, allowWildcards: false, out int count, out PathError error));
        Assert.Equal(0, count);
        Assert.Equal(kind, error.Kind.ToString());
        Assert.Equal(position, error.Position);
        Assert.Equal(segment, error.Segment);
    }

    [Theory]
    [InlineData("*", 1)]
    [InlineData("a.*", 2)]
    [InlineData("a.*.c", 3)]
    [InlineData("*.*", 2)]
    public void SelectorsAllowWholeSegmentWildcards(string text, int expected)
    {
        Assert.True(PathGrammar.TryValidate(text, allowWildcards: true, out int count, out _));
        Assert.Equal(expected, count);
    }

    [Theory]
    [InlineData("a*", "PartialWildcard", 1)]
    [InlineData("*b", "PartialWildcard", 0)]
    [InlineData("**", "PartialWildcard", 0)]
    [InlineData("a.b*c", "PartialWildcard", 3)]
    [InlineData("*-", "InvalidCharacter", 1)]
    [InlineData("a.*.", "EmptySegment", 4)]
    public void SelectorErrors(string text, string kind, int position)
    {
        Assert.False(PathGrammar.TryValidate(text, allowWildcards: true, out _, out PathError error));
        Assert.Equal(kind, error.Kind.ToString());
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void NullAndEmptyAreErrorsWithoutPosition()
    {
        Assert.False(PathGrammar.TryValidate(null, false, out _, out PathError nullError));
        Assert.Equal(PathErrorKind.Null, nullError.Kind);
        Assert.Equal(-1, nullError.Position);
        Assert.False(PathGrammar.TryValidate("", false, out _, out PathError emptyError));
        Assert.Equal(PathErrorKind.Empty, emptyError.Kind);
        Assert.Equal(-1, emptyError.Position);
    }

    [Fact]
    public void LimitsAreInclusive()
    {
        Assert.True(PathGrammar.TryValidate(Repeat("a", 64), false, out int count, out _));
        Assert.Equal(64, count);
        Assert.False(PathGrammar.TryValidate(Repeat("a", 65), false, out _, out PathError tooMany));
        Assert.Equal(PathErrorKind.TooManySegments, tooMany.Kind);
        Assert.Equal(65, tooMany.Count);

        Assert.True(PathGrammar.TryValidate(new string('a', 1024), false, out _, out _));
        Assert.False(PathGrammar.TryValidate(new string('a', 1025), false, out _, out PathError tooLong));
        Assert.Equal(PathErrorKind.TooLong, tooLong.Kind);
        Assert.Equal(1025, tooLong.Count);
    }

    [Fact]
    public void FormatsEveryKindOfMessage()
    {
        Assert.Equal("Invalid path 'a..b': segment 2 is empty (at position 2).", Message("a..b"));
        Assert.Equal(
            "Invalid path 'a.b-c': segment 2 'b-c' has character '-' at position 3; a segment uses only A-Z, a-z, 0-9 and '_'.",
            Message("a.b-c"));
        Assert.Equal("Invalid path '': a path is empty.", Message(""));
        Assert.Equal("Invalid path: the input is null.", Message(null));
        Assert.Equal("Invalid selector '': a selector is empty.", Message("", selector: true));
        Assert.Equal("Invalid selector 'a*': segment 1 'a*' has '*' at position 1; a wildcard '*' must be a whole segment.", Message("a*", selector: true));
        Assert.Equal(
            "Invalid path 'a*': segment 1 'a*' has character '*' at position 1; a segment uses only A-Z, a-z, 0-9 and '_' (a wildcard '*' is only valid in a selector).",
            Message("a*"));
    }

    [Theory]
    [InlineData("users.al ice.name", false, "Invalid path 'users.al ice.name': segment 2 'al ice' has character U+0020 at position 8; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("users.alice.na-me", false, "Invalid path 'users.alice.na-me': segment 3 'na-me' has character '-' at position 14; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("-.a", false, "Invalid path '-.a': segment 1 '-' has character '-' at position 0; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("*.b*.c", true, "Invalid selector '*.b*.c': segment 2 'b*' has '*' at position 3; a wildcard '*' must be a whole segment.")]
    [InlineData("*.k#", true, "Invalid selector '*.k#': segment 2 'k#' has character '#' at position 3; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    public void MessagesNameTheOffendingSegmentAndThePosition(string text, bool selector, string expected)
    {
        Assert.Equal(expected, Message(text, selector));
    }

    [Fact]
    public void ALongOffendingSegmentIsQuotedUpTo80Characters()
    {
        string segment = new string('x', 100) + "-";
        string message = Message("a." + segment);
        Assert.Equal(
            "Invalid path 'a." + segment[..78] + "…': segment 2 '" + segment[..80] + "…' has character '-' at position 102; a segment uses only A-Z, a-z, 0-9 and '_'.",
            message);
    }

    [Theory]
    [InlineData(" a", "character U+0020 at position 0")]
    [InlineData("a\tb", "character U+0009 at position 1")]
    [InlineData("a\u0001", "character U+0001 at position 1")]
    [InlineData("caf\u00e9", "character '\u00e9' (U+00E9) at position 3")]
    [InlineData("a.\U0001F600", "character '\U0001F600' (U+1F600) at position 2")]
    public void DescribesInvisibleAndNonAsciiCharacters(string text, string expected)
    {
        Assert.Contains(expected, Message(text), StringComparison.Ordinal);
    }

    [Fact]
    public void DescribesALoneSurrogateByCode()
    {
        // Built at run time: a lone surrogate does not survive attribute metadata.
        string text = "a" + (char)0xD800 + "b";
        Assert.Contains("character U+D800 at position 1", Message(text), StringComparison.Ordinal);
    }

    [Fact]
    public void LongInputsAreQuotedUpTo80Characters()
    {
        string text = Repeat("x", 65);
        Assert.Equal("Invalid path '" + text[..80] + "…': 65 segments exceed the limit of 64.", Message(text));
        Assert.StartsWith("Invalid path 'x.x.", Message(text), StringComparison.Ordinal);

        string longSegment = new('a', 1025);
        Assert.Equal("Invalid path '" + new string('a', 80) + "…': 1025 characters exceed the limit of 1024.", Message(longSegment));

        string exactly80 = new string('a', 79) + "-";
        Assert.StartsWith("Invalid path '" + exactly80 + "': ", Message(exactly80), StringComparison.Ordinal);
    }

    [Fact]
    public void QuotingNeverSplitsASurrogatePair()
    {
        string text = new string('a', 79) + "\U0001F600" + "bbb";
        string message = Message(text);
        Assert.StartsWith("Invalid path '" + new string('a', 79) + "…'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SegmentValidation()
    {
        Assert.True(PathGrammar.TryValidateSegment("a_1", out _));
        Assert.False(PathGrammar.TryValidateSegment("a.b", out PathError dot));
        Assert.Equal(PathErrorKind.InvalidCharacter, dot.Kind);
        Assert.Equal(1, dot.Position);
        Assert.Equal(
            "Invalid path segment 'a.b': character '.' at position 1 is not allowed; a segment uses only A-Z, a-z, 0-9 and '_'.",
            PathGrammar.FormatSegmentMessage("a.b", dot));
        Assert.False(PathGrammar.TryValidateSegment("", out PathError empty));
        Assert.Equal("Invalid path segment '': a segment is empty.", PathGrammar.FormatSegmentMessage("", empty));
        Assert.False(PathGrammar.TryValidateSegment("*", out PathError star));
        Assert.Equal(PathErrorKind.InvalidCharacter, star.Kind);
        Assert.False(PathGrammar.TryValidateSegment(new string('a', 1025), out PathError tooLong));
        Assert.Equal(PathErrorKind.TooLong, tooLong.Kind);
    }

    [Theory]
    [InlineData("__schema", true)]
    [InlineData("a.__b", true)]
    [InlineData("a._b", false)]
    [InlineData("a.b__", false)]
    [InlineData("a_.__", true)]
    [InlineData("_", false)]
    public void ReservedSegments(string text, bool expected)
    {
        Assert.Equal(expected, PathGrammar.HasReservedSegment(text));
    }

    internal static string Repeat(string segment, int count) =>
        string.Join(".", Enumerable.Repeat(segment, count));

    private static string Message(string? text, bool selector = false)
    {
        Assert.False(PathGrammar.TryValidate(text, selector, out _, out PathError error));
        return PathGrammar.FormatMessage(text, error, selector);
    }
}
