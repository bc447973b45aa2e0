using System;
using System.Collections.Generic;

namespace ReactiveStore.Tests.Paths;

public class StatePathTests
{
    [Fact]
    public void DefaultIsRoot()
    {
        StatePath root = default;
        Assert.Equal(StatePath.Root, root);
        Assert.True(root.IsRoot);
        Assert.Equal(0, root.Depth);
        Assert.Equal("", root.ToString());
        Assert.Equal("", root.Name);
        Assert.Equal("", root.Value);
        Assert.False(root.IsReserved);
        Assert.Equal(StatePath.Root.GetHashCode(), root.GetHashCode());
    }

    [Theory]
    [InlineData("a", 1)]
    [InlineData("users.alice.name", 3)]
    [InlineData("items.0", 2)]
    [InlineData("A.a", 2)]
    [InlineData("__schema.x", 2)]
    public void ParseAcceptsValidPaths(string text, int depth)
    {
        StatePath path = StatePath.Parse(text);
        Assert.Equal(depth, path.Depth);
        Assert.Equal(text, path.ToString());
        Assert.False(path.IsRoot);
        Assert.True(StatePath.TryParse(text, out StatePath parsed));
        Assert.Equal(path, parsed);
    }

    [Fact]
    public void ParseNullThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => StatePath.Parse(null!));
        Assert.False(StatePath.TryParse(null, out StatePath result));
        Assert.True(result.IsRoot);
    }

    [Theory]
    [InlineData("", -1, "Invalid path '': a path is empty.")]
    [InlineData("a..b", 2, "Invalid path 'a..b': segment 2 is empty (at position 2).")]
    [InlineData(".a", 0, "Invalid path '.a': segment 1 is empty (at position 0).")]
    [InlineData("a.", 2, "Invalid path 'a.': segment 2 is empty (at position 2).")]
    [InlineData("a.b-c", 3, "Invalid path 'a.b-c': segment 2 'b-c' has character '-' at position 3; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("a b", 1, "Invalid path 'a b': segment 1 'a b' has character U+0020 at position 1; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData(" a", 0, "Invalid path ' a': segment 1 ' a' has character U+0020 at position 0; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("a\n", 1, "Invalid path 'a\n': segment 1 'a\n' has character U+000A at position 1; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("na\u00efve", 2, "Invalid path 'na\u00efve': segment 1 'na\u00efve' has character '\u00ef' (U+00EF) at position 2; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("a/b", 1, "Invalid path 'a/b': segment 1 'a/b' has character '/' at position 1; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("a.*", 2, "Invalid path 'a.*': segment 2 '*' has character '*' at position 2; a segment uses only A-Z, a-z, 0-9 and '_' (a wildcard '*' is only valid in a selector).")]
    [InlineData("users.al ice.name", 8, "Invalid path 'users.al ice.name': segment 2 'al ice' has character U+0020 at position 8; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    public void ParseRejectsInvalidPathsWithAPreciseMessage(string text, int position, string message)
    {
        InvalidPathException ex = Assert.Throws<InvalidPathException>(() => StatePath.Parse(text));
        Assert.Equal(message, ex.Message);
        Assert.Equal(text, ex.Input);
        Assert.Equal(position, ex.Position);
        Assert.IsAssignableFrom<ArgumentException>(ex);
        Assert.False(StatePath.TryParse(text, out StatePath result));
        Assert.Equal(StatePath.Root, result);
    }

    [Fact]
    public void LimitsOnSegmentsAndLength()
    {
        Assert.Equal(64, StatePath.Parse(PathGrammarTests.Repeat("x", 64)).Depth);
        string tooMany = PathGrammarTests.Repeat("x", 65);
        InvalidPathException ex = Assert.Throws<InvalidPathException>(() => StatePath.Parse(tooMany));
        Assert.Equal("Invalid path '" + tooMany[..80] + "…': 65 segments exceed the limit of 64.", ex.Message);
        Assert.Equal(-1, ex.Position);
        Assert.Equal(tooMany, ex.Input);

        string longest = new string('a', 500) + "." + new string('b', 523);
        Assert.Equal(1024, longest.Length);
        Assert.Equal(2, StatePath.Parse(longest).Depth);
        string tooLong = longest + "c";
        ex = Assert.Throws<InvalidPathException>(() => StatePath.Parse(tooLong));
        Assert.EndsWith("…': 1025 characters exceed the limit of 1024.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(StatePath.MaxDepth, 64);
        Assert.Equal(StatePath.MaxLength, 1024);
    }

    [Fact]
    public void ParseIsCaseSensitive()
    {
        Assert.NotEqual(StatePath.Parse("a.B"), StatePath.Parse("a.b"));
    }

    [Fact]
    public void IndexerReturnsSegments()
    {
        StatePath path = StatePath.Parse("users.alice.name");
        Assert.Equal("users", path[0]);
        Assert.Equal("alice", path[1]);
        Assert.Equal("name", path[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => path[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => path[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => StatePath.Root[0]);
    }

    [Fact]
    public void NameIsTheLastSegment()
    {
        Assert.Equal("name", StatePath.Parse("users.alice.name").Name);
        Assert.Equal("users", StatePath.Parse("users").Name);
    }

    [Fact]
    public void ParentWalksUpToRoot()
    {
        StatePath path = StatePath.Parse("a.b.c");
        Assert.Equal(StatePath.Parse("a.b"), path.Parent);
        Assert.Equal(2, path.Parent.Depth);
        Assert.Equal(StatePath.Parse("a"), path.Parent.Parent);
        Assert.Equal(StatePath.Root, path.Parent.Parent.Parent);
        Assert.True(path.Parent.Parent.Parent.IsRoot);
        Assert.Throws<InvalidOperationException>(() => StatePath.Root.Parent);
    }

    [Fact]
    public void AppendSegment()
    {
        Assert.Equal(StatePath.Parse("a"), StatePath.Root.Append("a"));
        StatePath path = StatePath.Parse("a.b").Append("c");
        Assert.Equal("a.b.c", path.ToString());
        Assert.Equal(3, path.Depth);
        Assert.Throws<ArgumentNullException>(() => StatePath.Root.Append((string)null!));
    }

    [Theory]
    [InlineData("b.c", 1, "Invalid path segment 'b.c': character '.' at position 1 is not allowed; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    [InlineData("", -1, "Invalid path segment '': a segment is empty.")]
    [InlineData("*", 0, "Invalid path segment '*': character '*' at position 0 is not allowed; a segment uses only A-Z, a-z, 0-9 and '_' (a wildcard '*' is only valid in a selector).")]
    [InlineData("x y", 1, "Invalid path segment 'x y': character U+0020 at position 1 is not allowed; a segment uses only A-Z, a-z, 0-9 and '_'.")]
    public void AppendRejectsInvalidSegments(string segment, int position, string message)
    {
        InvalidPathException ex = Assert.Throws<InvalidPathException>(() => StatePath.Parse("a").Append(segment));
        Assert.Equal(message, ex.Message);
        Assert.Equal(segment, ex.Input);
        Assert.Equal(position, ex.Position);
    }

    [Fact]
    public void AppendEnforcesLimits()
    {
        StatePath deep = StatePath.Parse(PathGrammarTests.Repeat("x", 64));
        InvalidPathException ex = Assert.Throws<InvalidPathException>(() => deep.Append("x"));
        Assert.EndsWith("65 segments exceed the limit of 64.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(deep + ".x", ex.Input);

        StatePath wide = StatePath.Parse(new string('a', 1022));
        Assert.Equal(1024, wide.Append("b").ToString().Length);
        ex = Assert.Throws<InvalidPathException>(() => wide.Append("bc"));
        Assert.EndsWith("1025 characters exceed the limit of 1024.", ex.Message, StringComparison.Ordinal);

        StatePath half = StatePath.Parse(PathGrammarTests.Repeat("y", 32));
        Assert.Equal(64, half.Append(half).Depth);
        Assert.Throws<InvalidPathException>(() => half.Append(half).Append(StatePath.Parse("z")));
    }

    [Fact]
    public void AppendPath()
    {
        StatePath ab = StatePath.Parse("a.b");
        StatePath cd = StatePath.Parse("c.d");
        StatePath joined = ab.Append(cd);
        Assert.Equal("a.b.c.d", joined.ToString());
        Assert.Equal(4, joined.Depth);
        Assert.Equal(ab, ab.Append(StatePath.Root));
        Assert.Equal(cd, StatePath.Root.Append(cd));
        Assert.True(StatePath.Root.Append(StatePath.Root).IsRoot);
    }

    [Theory]
    [InlineData("", "a", true)]
    [InlineData("", "a.b.c", true)]
    [InlineData("", "", false)]
    [InlineData("a", "a.b", true)]
    [InlineData("a", "a.b.c", true)]
    [InlineData("a.b", "a.b", false)]
    [InlineData("a", "ab", false)]
    [InlineData("a", "ab.c", false)]
    [InlineData("a.b", "a", false)]
    [InlineData("a", "", false)]
    [InlineData("a.b", "a.c.d", false)]
    public void Ancestry(string ancestor, string other, bool expected)
    {
        StatePath a = Path(ancestor);
        StatePath o = Path(other);
        Assert.Equal(expected, a.IsAncestorOf(o));
        Assert.Equal(expected || a == o, a.IsAncestorOrSelfOf(o));
    }

    [Fact]
    public void GetAncestorReturnsPrefixes()
    {
        StatePath path = StatePath.Parse("a.b.c");
        Assert.Equal(StatePath.Root, path.GetAncestor(0));
        Assert.Equal(StatePath.Parse("a"), path.GetAncestor(1));
        Assert.Equal(StatePath.Parse("a.b"), path.GetAncestor(2));
        Assert.Equal(2, path.GetAncestor(2).Depth);
        Assert.Equal(path, path.GetAncestor(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => path.GetAncestor(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => path.GetAncestor(-1));
        Assert.Equal(StatePath.Root, StatePath.Root.GetAncestor(0));
    }

    [Theory]
    [InlineData("__schema", true)]
    [InlineData("a.__meta.b", true)]
    [InlineData("a._b", false)]
    [InlineData("a.b__", false)]
    public void IsReserved(string text, bool expected)
    {
        Assert.Equal(expected, StatePath.Parse(text).IsReserved);
    }

    [Fact]
    public void EqualityIsOrdinal()
    {
        StatePath a1 = StatePath.Parse("a.b");
        StatePath a2 = StatePath.Parse(string.Concat("a.", "b"));
        Assert.True(a1 == a2);
        Assert.False(a1 != a2);
        Assert.True(a1.Equals(a2));
        Assert.True(a1.Equals((object)a2));
        Assert.False(a1.Equals("a.b"));
        Assert.False(a1.Equals(null));
        Assert.Equal(a1.GetHashCode(), a2.GetHashCode());
        Assert.True(a1 != StatePath.Parse("a.B"));
        Assert.True(StatePath.Root == StatePath.FromValidated(""));
    }

    [Fact]
    public void SortingGivesTreePreOrder()
    {
        string[] expected = ["", "a", "a.b", "a.b.c", "a.b.z", "a.c", "a.z", "a.z.a", "a_b", "aa", "b", "b.a"];
        var paths = new List<StatePath>();
        for (int i = expected.Length - 1; i >= 0; i--)
        {
            paths.Add(Path(expected[i]));
        }

        paths.Sort();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], paths[i].ToString());
        }
    }

    [Fact]
    public void OrderingOperators()
    {
        StatePath ab = StatePath.Parse("a.b");
        StatePath abc = StatePath.Parse("a.b.c");
        StatePath ac = StatePath.Parse("a.c");
        StatePath az = StatePath.Parse("a.z");
        StatePath a_b = StatePath.Parse("a_b");
        Assert.True(StatePath.Root < ab);
        Assert.True(ab < abc);
        Assert.True(abc < ac);
        Assert.True(az < a_b);
        Assert.True(ab <= StatePath.Parse("a.b"));
        Assert.True(ac > abc);
        Assert.True(ac >= StatePath.Parse("a.c"));
        Assert.False(ab > abc);
        Assert.Equal(0, ab.CompareTo(StatePath.Parse("a.b")));
        Assert.True(StatePath.Parse("B").CompareTo(StatePath.Parse("a")) < 0);
    }

    [Fact]
    public void NonGenericCompareTo()
    {
        IComparable ab = StatePath.Parse("a.b");
        Assert.True(ab.CompareTo(null) > 0);
        Assert.Equal(0, ab.CompareTo(StatePath.Parse("a.b")));
        Assert.True(ab.CompareTo(StatePath.Parse("a.c")) < 0);
        Assert.Throws<ArgumentException>(() => ab.CompareTo("a.b"));
    }

    [Fact]
    public void FromValidatedComputesDepth()
    {
        Assert.Equal(3, StatePath.FromValidated("a.b.c").Depth);
        Assert.Equal(StatePath.Parse("a.b.c"), StatePath.FromValidated("a.b.c"));
        Assert.Equal(2, StatePath.FromValidated("a.b", 2).Depth);
        Assert.True(StatePath.FromValidated("").IsRoot);
    }

    [Fact]
    public void SegmentsEnumerateWithoutSubstrings()
    {
        var seen = new List<string>();
        foreach (ReadOnlySpan<char> segment in StatePath.Parse("users.alice.name").Segments)
        {
            seen.Add(segment.ToString());
        }

        Assert.Equal(["users", "alice", "name"], seen);

        int count = 0;
        foreach (ReadOnlySpan<char> segment in StatePath.Root.Segments)
        {
            count++;
        }

        Assert.Equal(0, count);

        PathSegments single = StatePath.Parse("x").Segments;
        Assert.True(single.MoveNext());
        Assert.Equal("x", single.Current.ToString());
        Assert.Equal(0, single.CurrentStart);
        Assert.Equal(1, single.CurrentLength);
        Assert.False(single.MoveNext());
        Assert.False(single.MoveNext());
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 1)]
    [InlineData("a.b.c", 3)]
    public void CountSegments(string text, int expected)
    {
        Assert.Equal(expected, PathSegments.CountSegments(text));
    }

    internal static StatePath Path(string text) => text.Length == 0 ? StatePath.Root : StatePath.Parse(text);
}
