using System.Security.Cryptography;
using System.Text;

namespace ReactiveStore.Storage;

/// <summary>How <see cref="FileSystemStorage"/> names files and folders so that every valid key works on every file system.</summary>
/// <remarks>
/// <para>Segment encoding (reversible, and distinct even where names are compared without case): a capital letter is
/// written with a <c>+</c> before it (<c>Theme</c> → <c>+Theme</c>, <c>userName</c> → <c>user+Name</c>), so <c>Theme</c>
/// and <c>theme</c> never share a file on Windows or macOS; a segment that is a Windows device name (<c>con</c>,
/// <c>nul</c>, <c>com1</c>… in lower case: the capitals already carry a <c>+</c>) gets a trailing <c>+</c>
/// (<c>con+</c>). Everything else (<c>[a-z0-9_]</c>) is written as is. A name is decoded only if it is exactly what
/// encoding would produce, so foreign files are never mistaken for keys.</para>
/// <para>Long keys: a key is mirrored into folders while every encoded segment has at most <see cref="MaxNameLength"/>
/// characters and the encoded relative path at most <see cref="MaxRelativeLength"/>, which keeps every name (temp files
/// included) far below the 255-byte name limit and the path within macOS's 1,024-byte limit for a root of reasonable
/// length. A longer key lives in <c>+long/&lt;hash&gt;.json</c> (the first 128 bits of the SHA-256 of its UTF-8, as hex),
/// and the file carries the key itself in a <c>"key"</c> property. Every descendant of a long key is long too.</para>
/// </remarks>
internal static class StorageFileNames
{
    /// <summary>The longest encoded segment kept as a folder or file name.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The longest encoded relative path (segments and separators, without the extension) kept as folders.</summary>
    public const int MaxRelativeLength = 512;

    /// <summary>The folder (directly under the root) that holds the long keys' files.</summary>
    public const string LongKeysFolder = "+long";

    private const char Marker = '+';

    private static readonly string[] s_deviceNames =
    [
        "con", "prn", "aux", "nul",
        "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];

    /// <summary>Encodes one valid segment as a file or folder name (no length limit applied).</summary>
    public static string EncodeSegment(ReadOnlySpan<char> segment)
    {
        var builder = new StringBuilder(segment.Length + 4);
        AppendSegment(builder, segment);
        return builder.ToString();
    }

    /// <summary>Gets the mirrored relative path of <paramref name="key"/> (folders joined by the platform's separator, no
    /// extension), or <see langword="null"/> when the key is too long to mirror and lives in <see cref="LongKeysFolder"/>.</summary>
    /// <param name="key">A valid dotted key.</param>
    public static string? RelativePath(string key)
    {
        var builder = new StringBuilder(key.Length + 8);
        int start = 0;
        while (start <= key.Length)
        {
            int dot = key.IndexOf('.', start);
            int end = dot < 0 ? key.Length : dot;
            int before = builder.Length;
            if (before != 0)
            {
                builder.Append(Path.DirectorySeparatorChar);
                before++;
            }

            AppendSegment(builder, key.AsSpan(start, end - start));
            if (builder.Length - before > MaxNameLength || builder.Length > MaxRelativeLength)
            {
                return null;
            }

            if (dot < 0)
            {
                break;
            }

            start = dot + 1;
        }

        return builder.ToString();
    }

    /// <summary>Gets the file name (with extension) of a long key in <see cref="LongKeysFolder"/>.</summary>
    public static string LongFileName(string key, string extension)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash[..16]) + extension;
    }

    /// <summary>Gets whether <paramref name="stem"/> looks like a long key's file name (32 lower-case hex digits).</summary>
    public static bool IsLongFileStem(ReadOnlySpan<char> stem)
    {
        if (stem.Length != 32)
        {
            return false;
        }

        foreach (char c in stem)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decodes a file or folder name written by <see cref="EncodeSegment"/>; fails for anything encoding would not produce.</summary>
    public static bool TryDecodeSegment(ReadOnlySpan<char> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? segment)
    {
        segment = null;
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return false;
        }

        var builder = new StringBuilder(name.Length);
        bool deviceEscape = false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == Marker)
            {
                if (i + 1 < name.Length && char.IsAsciiLetterUpper(name[i + 1]))
                {
                    builder.Append(name[++i]);
                    continue;
                }

                if (i + 1 == name.Length && builder.Length != 0)
                {
                    deviceEscape = true;
                    continue;
                }

                return false;
            }

            if (char.IsAsciiLetterUpper(c) || !PathGrammar.IsSegmentChar(c))
            {
                return false;
            }

            builder.Append(c);
        }

        string decoded = builder.ToString();
        if (deviceEscape != IsDeviceName(decoded))
        {
            // "con" must be written "con+", and a trailing '+' is only ever written after a device name.
            return false;
        }

        segment = decoded;
        return true;
    }

    private static void AppendSegment(StringBuilder builder, ReadOnlySpan<char> segment)
    {
        int start = builder.Length;
        foreach (char c in segment)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                builder.Append(Marker);
            }

            builder.Append(c);
        }

        if (builder.Length - start <= 4 && IsDeviceName(builder.ToString(start, builder.Length - start)))
        {
            builder.Append(Marker);
        }
    }

    private static bool IsDeviceName(string name)
    {
        foreach (string device in s_deviceNames)
        {
            if (string.Equals(name, device, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
