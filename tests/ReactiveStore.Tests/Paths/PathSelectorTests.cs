using System;

namespace ReactiveStore.Tests.Paths;

public class PathSelectorTests
{
    [Theory]
    [InlineData("a.b", 2, false, true, false, 2)]
    [InlineData("a.b.*", 3, true, false, false, 2)]
    [InlineData("a.*.c", 3, false, false, false, 3)]
    [InlineData("*", 1, true, false, true, 0)]
    [InlineData("*.*", 2, true, false, false, 1)]
    [InlineData("users.*.settings", 3, false, false, false, 3)]
    public void ParseDescribesTheSelector(string text, int count, bool trailing, bool exact, bool everything, int anchor)
    {
        PathSelector selector = PathSelector.Parse(text);
        Assert.Equal(count, selector.SegmentCount);
        Assert.Equal(trailing, selector.HasTrailingWildcard);
        Assert.Equal(exact, selector.IsExact);
        Assert.Equal(everything, selector.MatchesEverything);
        Assert.Equal(anchor, selector.AnchorDepth);
        Assert.Equal(text, selector.ToString());
        Assert.True(PathSelector.TryParse(text, out PathSelector? parsed));
        Assert.Equal(selector, parsed);
    }

    [Fact]
    public void IndexerReturnsSegments()
    {
        PathSelector selector = PathSelector.Parse("users.*.settings");
        Assert.Equal("users", selector[0]);
        Assert.Equal("*", selector[1]);
        Assert.Equal("settings", selector[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => selector[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => selector[-1]);
    }

    [Theory]
    [InlineData("", -1, "Invalid selector '': a selector is empty.")]
    [InlineData("a*", 1, "Invalid selector 'a*': segment 1 'a*' has '*' at position 1; a wildcard '*' must be a whole segment.")]
    [InlineData("*b", 0, "Invalid selector '*b': segment 1 '*b' has '*' at position 0; a wildcard '*' must be a whole segment.")]
    [InlineData("a.**", 2, "Invalid selector 'a.**': segment 2 '**' has '*' at position 2; a wildcard '*' must be a whole segment.")]
    [InlineData("a..*", 2, "Invalid selector 'a..*': segment 2 is empty (at position 2).")]
    [InlineData("users/+/settings", 5, "Invalid selector 'users/+/settings': segment 1 'users/+/settings' has character '/' at position 5; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("users/#", 5, "Invalid selector 'users/#': segment 1 'users/#' has character '/' at position 5; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("*.", 2, "Invalid selector '*.': segment 2 is empty (at position 2).")]
    public void ParseRejectsInvalidSelectors(string text, int position, string message)
    {
        InvalidPathException ex = Assert.Throws<InvalidPathException>(() => PathSelector.Parse(text));
        Assert.Equal(message, ex.Message);
        Assert.Equal(text, ex.Input);
        Assert.Equal(position, ex.Position);
        Assert.False(PathSelector.TryParse(text, out PathSelector? result));
        Assert.Null(result);
    }

    [Fact]
    public void NullAndLimits()
    {
        Assert.Throws<ArgumentNullException>(() => PathSelector.Parse(null!));
        Assert.False(PathSelector.TryParse(null, out _));
        Assert.Equal(64, PathSelector.Parse(PathGrammarTests.Repeat("*", 64)).SegmentCount);
        InvalidPathException ex = Assert.Throws<InvalidPathException>(() => PathSelector.Parse(PathGrammarTests.Repeat("*", 65)));
        Assert.EndsWith("65 segments exceed the limit of 64.", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("Invalid selector '*.*.", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidPathException>(() => PathSelector.Parse(new string('a', 1025)));
    }

    // SPEC §3: selector, path, bubble, expected match, expected current depth.
    [Theory]
    [InlineData("a.b", "a.b", true, true, 2)]
    [InlineData("a.b", "a.b.c", true, true, 2)]
    [InlineData("a.b", "a.b.c.d", true, true, 2)]
    [InlineData("a.b", "a.b", false, true, 2)]
    [InlineData("a.b", "a.b.c", false, false, 0)]
    [InlineData("a.b", "a", true, false, 0)]
    [InlineData("a.b", "a.bc", true, false, 0)]
    [InlineData("a.b", "a.c", true, false, 0)]
    [InlineData("a.b", "", true, false, 0)]
    [InlineData("a.b", "A.b", true, false, 0)]
    [InlineData("a.b.*", "a.b", true, false, 0)]
    [InlineData("a.b.*", "a.b.c", true, true, 2)]
    [InlineData("a.b.*", "a.b.c.d.e", true, true, 2)]
    [InlineData("a.b.*", "a.b.c", false, true, 2)]
    [InlineData("a.b.*", "a.b.c.d", false, true, 2)]
    [InlineData("a.b.*", "a.bc.d", true, false, 0)]
    [InlineData("a.b.*", "a", true, false, 0)]
    [InlineData("a.*.c", "a.x.c", true, true, 3)]
    [InlineData("a.*.c", "a.y.c", false, true, 3)]
    [InlineData("a.*.c", "a.x.c.d", true, true, 3)]
    [InlineData("a.*.c", "a.x.c.d", false, false, 0)]
    [InlineData("a.*.c", "a.c", true, false, 0)]
    [InlineData("a.*.c", "a.x.y.c", true, false, 0)]
    [InlineData("a.*.c", "a.x.d", true, false, 0)]
    [InlineData("*", "a", true, true, 0)]
    [InlineData("*", "a.b.c", true, true, 0)]
    [InlineData("*", "a.b.c", false, true, 0)]
    [InlineData("*", "", true, false, 0)]
    [InlineData("*.*", "a", true, false, 0)]
    [InlineData("*.*", "a.b", true, true, 1)]
    [InlineData("*.b", "a.b", true, true, 2)]
    [InlineData("*.b", "a.b.c", true, true, 2)]
    [InlineData("*.b", "a.b.c", false, false, 0)]
    [InlineData("*.b", "a.c", true, false, 0)]
    [InlineData("*.k3", "w1.k3", true, true, 2)]
    [InlineData("*.k3", "w1.k3", false, true, 2)]
    [InlineData("*.k3", "w1.k3.x", true, true, 2)]
    [InlineData("*.k3", "w1.k3.x", false, false, 0)]
    [InlineData("*.k3", "k3", true, false, 0)]
    [InlineData("*.k3", "w1.k4", true, false, 0)]
    [InlineData("*.k3", "w1.x.k3", true, false, 0)]
    [InlineData("*.k3", "k3.k3", true, true, 2)]
    [InlineData("*.b.*", "a.b", true, false, 0)]
    [InlineData("*.b.*", "a.b.c", true, true, 2)]
    [InlineData("*.b.*", "a.b.c.d", true, true, 2)]
    [InlineData("*.b.*", "a.b.c.d", false, true, 2)]
    [InlineData("*.b.*", "a.c.d", true, false, 0)]
    [InlineData("*.b.*", "b.c", true, false, 0)]
    [InlineData("*.b.*", "a.x.b.c", true, false, 0)]
    [InlineData("*.*.c", "a.b.c", true, true, 3)]
    [InlineData("*.*.c", "a.b.c.d", true, true, 3)]
    [InlineData("*.*.c", "a.b", true, false, 0)]
    [InlineData("*.*.c", "a.c", true, false, 0)]
    [InlineData("users.*.settings", "users.alice.settings", true, true, 3)]
    [InlineData("users.*.settings", "users.bob.settings.theme", true, true, 3)]
    [InlineData("users.*.settings", "users.bob.settings.theme", false, false, 0)]
    [InlineData("users.*.settings", "users.alice.profile", true, false, 0)]
    [InlineData("users.*.settings", "users.settings", true, false, 0)]
    [InlineData("users.*.settings", "users.a.b.settings", true, false, 0)]
    [InlineData("users.*", "users", true, false, 0)]
    [InlineData("users.*", "users.alice", true, true, 1)]
    [InlineData("users.*", "users.alice.settings.theme", false, true, 1)]
    [InlineData("users.*", "usersx.alice", true, false, 0)]
    [InlineData("users.*", "admins.alice", true, false, 0)]
    [InlineData("users", "users.alice", true, true, 1)]
    [InlineData("users", "users", false, true, 1)]
    public void MatchingTable(string selectorText, string pathText, bool bubble, bool expected, int expectedDepth)
    {
        PathSelector selector = PathSelector.Parse(selectorText);
        StatePath path = StatePathTests.Path(pathText);
        Assert.Equal(expected, selector.TryMatch(path, bubble, out int currentDepth));
        Assert.Equal(expectedDepth, currentDepth);
        Assert.Equal(expected, selector.IsMatch(path, bubble));
        if (expected)
        {
            Assert.Equal(selector.AnchorDepth, currentDepth);
        }
    }

    [Fact]
    public void IsMatchBubblesByDefault()
    {
        PathSelector selector = PathSelector.Parse("a.b");
        Assert.True(selector.IsMatch(StatePath.Parse("a.b.c")));
        Assert.False(selector.IsMatch(StatePath.Parse("a.b.c"), bubble: false));
    }

    [Fact]
    public void EqualityIsOrdinalOnText()
    {
        PathSelector a = PathSelector.Parse("a.*");
        PathSelector b = PathSelector.Parse(string.Concat("a.", "*"));
        PathSelector c = PathSelector.Parse("A.*");
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a != c);
        Assert.True(a.Equals(b));
        Assert.True(a.Equals((object)b));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object)"a.*"));
        Assert.False(a == null);
        Assert.True((PathSelector?)null == null);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
