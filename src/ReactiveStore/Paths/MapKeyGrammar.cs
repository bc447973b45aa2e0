// The one copy of the map key encoding (docs/generator.md, "Children and maps"). Linked as source into the netstandard2.0
// generator and analyzers (constant map keys become dependency paths there), so it uses only string, char and StringBuilder
// APIs available in netstandard2.0. The public face is MapKeyEncoding.
using System.Globalization;
using System.Text;

namespace ReactiveStore;

/// <summary>Encodes <c>StateMap</c> keys (any non-empty string) into path segments and back; see <c>MapKeyEncoding</c>.</summary>
internal static class MapKeyGrammar
{
    /// <summary>The start of every encoded (non-plain) segment.</summary>
    public const string EncodedPrefix = "_x";

    private const char Escape = '_';

    /// <summary>The segment of a non-empty <paramref name="key"/>: the key itself when plain, else <c>_x</c> and the escaped key.</summary>
    public static string Encode(string key)
    {
        if (IsPlain(key))
        {
            return key;
        }

        var builder = new StringBuilder(EncodedPrefix, EncodedPrefix.Length + key.Length + 8);
        foreach (char c in key)
        {
            if (IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(Escape).Append(((int)c).ToString("x", CultureInfo.InvariantCulture)).Append(Escape);
            }
        }

        return builder.ToString();
    }

    /// <summary>The key whose segment is <paramref name="segment"/>; <see langword="false"/> when no key encodes to it.</summary>
    public static bool TryDecode(string? segment, out string? key)
    {
        key = null;
        if (segment is null || segment.Length == 0)
        {
            return false;
        }

        if (segment[0] != Escape)
        {
            if (!IsPlain(segment))
            {
                return false;
            }

            key = segment;
            return true;
        }

        if (!segment.StartsWith(EncodedPrefix, StringComparison.Ordinal) || segment.Length == EncodedPrefix.Length)
        {
            return false;
        }

        var builder = new StringBuilder(segment.Length);
        int i = EncodedPrefix.Length;
        while (i < segment.Length)
        {
            char c = segment[i];
            if (IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
                i++;
                continue;
            }

            if (c != Escape || !TryReadEscape(segment, i + 1, out char escaped, out int next))
            {
                return false;
            }

            builder.Append(escaped);
            i = next;
        }

        string decoded = builder.ToString();

        // A plain key encodes as itself, never as '_x…': accepting both would give one key two segments.
        if (IsPlain(decoded))
        {
            return false;
        }

        key = decoded;
        return true;
    }

    /// <summary>Whether <paramref name="key"/> is its own segment: non-empty, only <c>[A-Za-z0-9_]</c>, not starting with <c>_</c>.</summary>
    public static bool IsPlain(string key)
    {
        if (key.Length == 0 || key[0] == Escape)
        {
            return false;
        }

        foreach (char c in key)
        {
            if (!IsAsciiLetterOrDigit(c) && c != Escape)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the canonical <c>&lt;hex&gt;_</c> of an escape at <paramref name="start"/>: 1–4 lowercase hex digits without leading
    /// zeros, naming a character that is not an ASCII letter or digit.</summary>
    private static bool TryReadEscape(string segment, int start, out char escaped, out int next)
    {
        escaped = default;
        next = start;
        int value = 0;
        int digits = 0;
        while (next < segment.Length && segment[next] != Escape)
        {
            int digit = HexValue(segment[next]);
            if (digit < 0 || digits == 4 || (digits == 1 && value == 0))
            {
                return false;
            }

            value = (value << 4) | digit;
            digits++;
            next++;
        }

        if (digits == 0 || next == segment.Length)
        {
            return false;
        }

        escaped = (char)value;
        next++;
        return !IsAsciiLetterOrDigit(escaped);
    }

    private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

    private static int HexValue(char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }

        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
