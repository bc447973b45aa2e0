using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ReactiveStore;

/// <summary>The one rule for what a journal line is: a line that <see cref="ChangeRecordJson.Deserialize"/> reads. Both
/// the forward reader and the backward scan of the journal's end use it, so they agree on what is data.</summary>
internal static class JournalLine
{
    /// <summary>The byte that ends every line.</summary>
    public const byte LineBreak = (byte)'\n';

    /// <summary>Reads one line (without its line break) as a record.</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="record">The record, when the line is one.</param>
    /// <param name="problem">Why the line is not a record, when it is not.</param>
    /// <returns>Whether the line is a record.</returns>
    public static bool TryParse(ReadOnlySpan<byte> line, [NotNullWhen(true)] out ChangeRecord? record, [NotNullWhen(false)] out string? problem)
    {
        if (line.IsEmpty)
        {
            record = null;
            problem = "The line is empty; every journal line is one change record.";
            return false;
        }

        try
        {
            record = ChangeRecordJson.Deserialize(line);
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // ArgumentException only if a record's own checks disagree with the reader's: still a bad line, never a crash.
            record = null;
            problem = ex.Message;
            return false;
        }
    }
}
