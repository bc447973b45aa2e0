namespace ReactiveStore;

/// <summary>What text the store can persist exactly: UTF-16 without lone surrogates (UTF-8 and JSON cannot carry them,
/// and System.Text.Json would silently replace them with U+FFFD).</summary>
internal static class TextRules
{
    /// <summary>Returns the index of the first lone surrogate in <paramref name="text"/>, or -1.</summary>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        int i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int next = text[(i + 2)..].IndexOfAnyInRange('\uD800', '\uDFFF');
                i = next < 0 ? -1 : i + 2 + next;
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>Describes a lone surrogate for an error message.</summary>
    public static string DescribeLoneSurrogate(string text, int index) =>
        $"the text has a lone UTF-16 surrogate U+{(int)text[index]:X4} at index {index}, which JSON and UTF-8 cannot carry (it would come back as U+FFFD)";
}
