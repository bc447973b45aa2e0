using System.Diagnostics.CodeAnalysis;

namespace ReactiveStore;

/// <summary>The reversible encoding of <see cref="StateMap{TNode}"/> keys (any non-empty string) into path segments.</summary>
/// <remarks>
/// <para>A key that is already a plain segment — only <c>A-Z</c>, <c>a-z</c>, <c>0-9</c> and <c>_</c>, not starting with <c>_</c> — is its
/// own segment, so ordinary ids keep readable paths (<c>users.alice_1</c>). Any other key becomes <c>_x</c> followed by the key with each
/// character outside <c>A-Z</c>, <c>a-z</c>, <c>0-9</c> written as <c>_</c>, its UTF-16 code in lowercase hex without leading zeros,
/// and <c>_</c>: <c>alice-smith</c> is <c>_xalice_2d_smith</c>, <c>a@b.io</c> is <c>_xa_40_b_2e_io</c>, <c>_id</c> is <c>_x_5f_id</c>.</para>
/// <para>An encoded segment starts with <c>_x</c>, never with the reserved <c>__</c>, and a plain segment never starts with <c>_</c>, so
/// decoding is unambiguous. Each segment has exactly one key and each key one segment: <see cref="TryDecode"/> accepts only segments
/// that <see cref="Encode"/> produces. Code units are escaped one by one, so any string round-trips, lone surrogates included.</para>
/// </remarks>
public static class MapKeyEncoding
{
    /// <summary>The start of every encoded (non-plain) segment.</summary>
    public const string EncodedPrefix = MapKeyGrammar.EncodedPrefix;

    /// <summary>Returns the path segment of <paramref name="key"/>.</summary>
    /// <param name="key">The map key: any non-empty string.</param>
    /// <returns>The segment: <paramref name="key"/> itself when it is plain, else its escaped form.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidPathException"><paramref name="key"/> is empty.</exception>
    public static string Encode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new InvalidPathException("Invalid map key '': a map key cannot be empty (any non-empty string is a key).", key, -1);
        }

        return MapKeyGrammar.Encode(key);
    }

    /// <summary>Returns the key whose segment is <paramref name="segment"/>.</summary>
    /// <param name="segment">A segment made by <see cref="Encode"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="segment"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="segment"/> is not the segment of any key.</exception>
    public static string Decode(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return TryDecode(segment, out string? key)
            ? key
            : throw new ArgumentException(
                $"'{segment}' is not the segment of a map key: a key segment is plain ([A-Za-z0-9_]+, not starting with '_') or starts with '{EncodedPrefix}' followed by letters, digits and '_<hex>_' escapes of other characters.",
                nameof(segment));
    }

    /// <summary>Returns the key whose segment is <paramref name="segment"/>, if there is one.</summary>
    /// <param name="segment">A path segment.</param>
    /// <param name="key">The key when the segment is one <see cref="Encode"/> produces.</param>
    /// <returns>Whether <paramref name="segment"/> is the segment of a key.</returns>
    public static bool TryDecode(string? segment, [NotNullWhen(true)] out string? key)
    {
        if (MapKeyGrammar.TryDecode(segment, out string? decoded))
        {
            key = decoded!;
            return true;
        }

        key = null;
        return false;
    }
}
