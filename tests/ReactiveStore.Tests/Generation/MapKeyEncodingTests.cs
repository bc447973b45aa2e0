using FsCheck;
using FsCheck.Fluent;

namespace ReactiveStore.Tests.Generation;

// Property tests with FsCheck's core package (no FsCheck.Xunit): each [Fact] runs one property and throws with the counterexample.
public sealed class MapKeyEncodingTests
{
    private const int Runs = 2000;

    // Segment characters, the escape character, the marker letter, and what real ids hold: '-', '@', '.', '+', spaces, non-ASCII
    // letters, an astral character (a surrogate pair) and lone surrogate halves.
    private static readonly char[] s_keyChars =
        "aAzZ09x_____-@.+ /:é\u00ef\u0130\u3000\0\u007f\ud83d\ude00\ud800\udc00".ToCharArray();

    private static Config Quick => Config.QuickThrowOnFailure.WithMaxTest(Runs).WithQuietOnSuccess(true);

    private static Gen<string> AnyKey =>
        Gen.Frequency(
            (6, Gen.Choose(1, 24).SelectMany(n => Gen.ArrayOf(Gen.Elements(s_keyChars), n)).Select(chars => new string(chars))),
            (1, Gen.Elements("alice-smith", "bob@example.com", "3f2a9c1e-8b7d-4c2a-9e1f-0a1b2c3d4e5f", "_id", "__reserved", "_x", "_xabc", "x", "a_b", "0")),
            (1, Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(Gen.Elements('_', 'x', 'a', '5', 'f'), n)).Select(chars => new string(chars))));

    private static Gen<string> AnySegment =>
        Gen.Choose(1, 20).SelectMany(n => Gen.ArrayOf(Gen.Elements("_x_5f_a0123456789abcdefABXyz".ToCharArray()), n)).Select(chars => new string(chars));

    [Fact]
    public void Encoding_is_a_valid_unreserved_segment_and_decoding_gives_the_key_back()
    {
        StatePath map = StatePath.Parse("users");
        Check.One(Quick, Prop.ForAll(AnyKey.ToArbitrary(), key =>
        {
            string segment = MapKeyEncoding.Encode(key);
            Assert.True(PathGrammar.TryValidateSegment(segment, out _), $"'{segment}' is not a valid segment");
            Assert.False(segment.StartsWith("__", StringComparison.Ordinal));
            Assert.Equal(key, MapKeyEncoding.Decode(segment));
            Assert.Equal(segment, map.Append(segment).Name);
            return true;
        }));
    }

    [Fact]
    public void Every_segment_decodes_to_at_most_one_key_and_that_key_encodes_back_to_it()
    {
        // Decoding is unambiguous: a segment that decodes is the encoding of its key, so two segments never share a key.
        Check.One(Quick, Prop.ForAll(AnySegment.ToArbitrary(), segment =>
        {
            if (MapKeyEncoding.TryDecode(segment, out string? key))
            {
                Assert.Equal(segment, MapKeyEncoding.Encode(key));
            }

            return true;
        }));
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("alice_1", "alice_1")]
    [InlineData("A1_b", "A1_b")]
    [InlineData("alice-smith", "_xalice_2d_smith")]
    [InlineData("bob@example.com", "_xbob_40_example_2e_com")]
    [InlineData("3f2a9c1e-8b7d", "_x3f2a9c1e_2d_8b7d")]
    [InlineData("_id", "_x_5f_id")]
    [InlineData("__reserved", "_x_5f__5f_reserved")]
    [InlineData("a b", "_xa_20_b")]
    [InlineData("é", "_x_e9_")]
    [InlineData("\0", "_x_0_")]
    public void Plain_ids_stay_readable_and_others_are_escaped(string key, string segment)
    {
        Assert.Equal(segment, MapKeyEncoding.Encode(key));
        Assert.Equal(key, MapKeyEncoding.Decode(segment));
    }

    [Theory]
    [InlineData("")]
    [InlineData("_")]
    [InlineData("_x")]
    [InlineData("_y")]
    [InlineData("__x")]
    [InlineData("_xabc")]
    [InlineData("_x_2D_")]
    [InlineData("_x_02d_")]
    [InlineData("_x_61_")]
    [InlineData("_x_2d")]
    [InlineData("_x__")]
    [InlineData("_x_12345_")]
    [InlineData("a-b")]
    public void Segments_no_key_encodes_to_do_not_decode(string segment)
    {
        Assert.False(MapKeyEncoding.TryDecode(segment, out _));
        Assert.Throws<ArgumentException>(() => MapKeyEncoding.Decode(segment));
    }

    [Fact]
    public void Null_and_empty_keys_are_refused_with_a_clear_error()
    {
        Assert.Throws<ArgumentNullException>(() => MapKeyEncoding.Encode(null!));
        InvalidPathException empty = Assert.Throws<InvalidPathException>(() => MapKeyEncoding.Encode(""));
        Assert.Contains("a map key cannot be empty", empty.Message, StringComparison.Ordinal);
    }
}
