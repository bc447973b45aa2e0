using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace ReactiveStore.Tests.Paths;

// Property tests with FsCheck's core package (no FsCheck.Xunit): each [Fact] runs one property
// and throws with the counterexample on failure.
public class PathPropertyTests
{
    private const int Runs = 1000;

    private static readonly char[] s_segmentChars =
        "abcxyzABCXYZ0189_".ToCharArray();

    // Everything the grammar must handle: valid characters, separators, wildcards, whitespace,
    // control characters, punctuation, non-ASCII letters and surrogate halves.
    private static readonly char[] s_anyChars =
        "aAzZ09_____.....***** \t\r\n\0\u0001\u007f-/#+$é\u00ef\u0130\u212a\u00a0\u3000\ud83d\ude00\ud800".ToCharArray();

    // Independent oracles for the grammar (\z, not $: '$' also matches before a final newline).
    private static readonly Regex s_pathOracle = new(@"\A[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*\z", RegexOptions.CultureInvariant);
    private static readonly Regex s_selectorOracle = new(@"\A(\*|[A-Za-z0-9_]+)(\.(\*|[A-Za-z0-9_]+))*\z", RegexOptions.CultureInvariant);

    private static Config Quick => Config.QuickThrowOnFailure.WithMaxTest(Runs).WithQuietOnSuccess(true);

    private static Config Thorough => Quick.WithMaxTest(Runs * 3);

    private static Gen<string> AnyText =>
        Gen.Frequency(
            (6, Gen.ArrayOf(Gen.Elements(s_anyChars)).Select(chars => new string(chars))),
            (3, ValidPathText(8, 6).SelectMany(path => Gen.Elements(s_anyChars).SelectMany(c =>
                Gen.Choose(0, path.Length).Select(i => path.Insert(i, c.ToString()))))),
            (1, Gen.Choose(1015, 1035).SelectMany(n => Gen.ArrayOf(Gen.Elements('a', 'b', '_', '.', '*'), n))
                .Select(chars => new string(chars))),
            (1, Gen.Choose(60, 70).Select(n => PathGrammarTests.Repeat("x", n))),
            (1, Gen.Choose(60, 70).Select(n => PathGrammarTests.Repeat("*", n))));

    private static Gen<string> Segment(int maxLength) =>
        Gen.Choose(1, maxLength).SelectMany(n => Gen.ArrayOf(Gen.Elements(s_segmentChars), n))
            .Select(chars => new string(chars));

    private static Gen<string> ValidPathText(int maxSegments, int maxSegmentLength) =>
        Gen.Choose(1, maxSegments).SelectMany(n => Gen.ArrayOf(Segment(maxSegmentLength), n))
            .Select(segments => string.Join(".", segments));

    // A tiny alphabet makes equal prefixes, siblings and 'a' vs 'a_b' collisions common.
    private static Gen<StatePath> SmallPath =>
        Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements("a", "b", "a_b", "ab", "B", "_"), n))
            .Select(segments => segments.Length == 0 ? StatePath.Root : StatePath.Parse(string.Join(".", segments)));

    [Fact]
    public void ArbitraryTextOnlyEverFailsWithInvalidPathException()
    {
        StatePath @base = StatePath.Parse("base.path");
        Check.One(Thorough, Prop.ForAll(AnyText.ToArbitrary(), text =>
        {
            // Paths.
            bool parsed = Attempt(text, false, () => StatePath.Parse(text), out StatePath path);
            Assert.Equal(OracleAccepts(s_pathOracle, text), parsed);
            Assert.Equal(parsed, StatePath.TryParse(text, out StatePath tried));
            if (parsed)
            {
                Assert.Equal(path, tried);
                Assert.Equal(text, path.ToString());
                Assert.Equal(PathSegments.CountSegments(text), path.Depth);
                Assert.InRange(path.Depth, 1, 64);
                Assert.InRange(text.Length, 1, 1024);
                Assert.Equal(path, StatePath.Parse(path.ToString()));
            }

            // Selectors: every path is an exact selector; selectors accept at least as much.
            bool selected = Attempt(text, true, () => PathSelector.Parse(text), out PathSelector? selector);
            Assert.Equal(OracleAccepts(s_selectorOracle, text), selected);
            Assert.Equal(selected, PathSelector.TryParse(text, out PathSelector? triedSelector));
            if (selected)
            {
                Assert.Equal(selector, triedSelector);
                Assert.Equal(text, selector!.ToString());
                Assert.Equal(parsed, selector.IsExact);
            }
            else
            {
                Assert.False(parsed);
            }

            // Append of the text as one segment.
            bool appended = AttemptSegment(text, () => @base.Append(text), out StatePath child);
            if (appended)
            {
                Assert.Equal(text, child.Name);
                Assert.Equal(@base, child.Parent);
                Assert.True(@base.IsAncestorOf(child));
                Assert.Equal(@base.ToString() + "." + text, child.ToString());
            }

            Assert.Equal(appended, parsed && path.Depth == 1 && text.Length <= 1024 - 10);
            return true;
        }));
    }

    [Fact]
    public void NullIsAnArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => StatePath.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => PathSelector.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => StatePath.Root.Append((string)null!));
        Assert.False(StatePath.TryParse(null, out _));
        Assert.False(PathSelector.TryParse(null, out _));
    }

    [Fact]
    public void GeneratedValidPathsParseAndNavigateConsistently()
    {
        Check.One(Quick, Prop.ForAll(ValidPathText(12, 8).ToArbitrary(), text =>
        {
            StatePath path = StatePath.Parse(text);
            string[] segments = text.Split('.');
            Assert.Equal(segments.Length, path.Depth);
            for (int i = 0; i < segments.Length; i++)
            {
                Assert.Equal(segments[i], path[i]);
            }

            Assert.Equal(segments[^1], path.Name);
            Assert.Equal(path, path.Parent.Append(path.Name));
            Assert.True(path.Parent.IsAncestorOf(path));
            Assert.False(path.IsAncestorOf(path.Parent));
            Assert.False(path.IsAncestorOf(path));
            Assert.True(path.IsAncestorOrSelfOf(path));
            Assert.True(StatePath.Root.IsAncestorOf(path));

            StatePath walk = path;
            for (int depth = path.Depth; depth >= 0; depth--)
            {
                Assert.Equal(walk, path.GetAncestor(depth));
                Assert.True(walk.IsAncestorOrSelfOf(path));
                Assert.True(walk <= path);
                if (depth > 0)
                {
                    Assert.Equal(walk, walk.Parent.Append(StatePath.Parse(walk.Name)));
                    walk = walk.Parent;
                }
            }

            Assert.True(walk.IsRoot);
            StatePath rebuilt = StatePath.Root;
            foreach (string segment in segments)
            {
                rebuilt = rebuilt.Append(segment);
            }

            Assert.Equal(path, rebuilt);
            Assert.Equal(path.GetHashCode(), rebuilt.GetHashCode());
            Assert.True(PathSelector.Parse(text).IsMatch(path, bubble: false));
            return true;
        }));
    }

    [Fact]
    public void CompareToIsATotalOrderConsistentWithEqualsAndTheTree()
    {
        Gen<(StatePath, StatePath, StatePath)> triples =
            SmallPath.SelectMany(a => SmallPath.SelectMany(b => SmallPath.Select(c => (a, b, c))));
        Check.One(Quick, Prop.ForAll(triples.ToArbitrary(), triple =>
        {
            (StatePath a, StatePath b, StatePath c) = triple;
            int ab = Math.Sign(a.CompareTo(b));
            Assert.Equal(-ab, Math.Sign(b.CompareTo(a)));
            Assert.Equal(ab == 0, a.Equals(b));
            Assert.Equal(ab == 0, a == b);
            Assert.Equal(ab, ReferenceCompare(a, b));
            if (a <= b && b <= c)
            {
                Assert.True(a <= c);
            }

            if (a.IsAncestorOf(b))
            {
                Assert.True(a < b);
            }

            return true;
        }));
    }

    [Fact]
    public void SelectorMatchingAgreesWithAReferenceImplementation()
    {
        Gen<PathSelector> selectors =
            Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Elements("a", "b", "*"), n))
                .Select(segments => PathSelector.Parse(string.Join(".", segments)));
        Gen<(PathSelector, StatePath, bool)> cases =
            selectors.SelectMany(s => SmallPath.SelectMany(p => Gen.Elements(true, false).Select(b => (s, p, b))));
        Check.One(Quick, Prop.ForAll(cases.ToArbitrary(), item =>
        {
            (PathSelector selector, StatePath path, bool bubble) = item;
            bool expected = ReferenceMatch(selector, path, bubble, out int expectedDepth);
            Assert.Equal(expected, selector.TryMatch(path, bubble, out int depth));
            Assert.Equal(expectedDepth, depth);
            return true;
        }));
    }

    private static bool Attempt<T>(string text, bool selector, Func<T> parse, out T? result)
    {
        try
        {
            result = parse();
            return true;
        }
        catch (InvalidPathException ex)
        {
            CheckException(ex, text, selector ? "Invalid selector '" : "Invalid path '");
            result = default;
            return false;
        }
    }

    private static bool AttemptSegment(string text, Func<StatePath> append, out StatePath result)
    {
        try
        {
            result = append();
            return true;
        }
        catch (InvalidPathException ex)
        {
            Assert.StartsWith("Invalid path", ex.Message, StringComparison.Ordinal);
            result = default;
            return false;
        }
    }

    private static void CheckException(InvalidPathException ex, string text, string prefix)
    {
        Assert.Equal(text, ex.Input);
        Assert.InRange(ex.Position, -1, text.Length);
        Assert.StartsWith(prefix, ex.Message, StringComparison.Ordinal);
        if (ex.Position >= 0)
        {
            Assert.Matches(@"position " + ex.Position + @"\b", ex.Message);
        }
    }

    private static bool OracleAccepts(Regex grammar, string text) =>
        text.Length <= 1024 && text.Split('.').Length <= 64 && grammar.IsMatch(text);

    private static int ReferenceCompare(StatePath a, StatePath b)
    {
        string[] x = a.IsRoot ? [] : a.ToString().Split('.');
        string[] y = b.IsRoot ? [] : b.ToString().Split('.');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int c = Math.Sign(string.CompareOrdinal(x[i], y[i]));
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    private static bool ReferenceMatch(PathSelector selector, StatePath path, bool bubble, out int currentDepth)
    {
        currentDepth = 0;
        var pattern = new List<string>();
        for (int i = 0; i < selector.SegmentCount; i++)
        {
            pattern.Add(selector[i]);
        }

        bool trailing = pattern[^1] == "*";
        int fixedCount = trailing ? pattern.Count - 1 : pattern.Count;
        bool lengthOk = trailing
            ? path.Depth > fixedCount
            : path.Depth == fixedCount || (bubble && path.Depth > fixedCount);
        if (!lengthOk)
        {
            return false;
        }

        for (int i = 0; i < fixedCount; i++)
        {
            if (pattern[i] != "*" && pattern[i] != path[i])
            {
                return false;
            }
        }

        currentDepth = fixedCount;
        return true;
    }
}
