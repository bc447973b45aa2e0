using System.Text;

namespace ReactiveStore.Tests.ChangeLog;

/// <summary>Builders and helpers shared by the journal tests.</summary>
internal static class JournalTestSupport
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(1));

    public static readonly EventOrigin Origin = new(4242, 7, null);

    /// <summary>A set at <paramref name="path"/> whose value is <paramref name="json"/>, with minimal metadata.</summary>
    public static ChangeRecord Set(long version, string path, string json, ChangeCause cause = ChangeCause.Write) =>
        new(version, StateEventType.Set, StatePath.Parse(path), Encoding.UTF8.GetBytes(json), new EntryMetadata(1, T0, T0.AddSeconds(version)), T0.AddSeconds(version), Origin, cause);

    /// <summary>A set whose value is <c>{"v":version}</c>: the journal's versions are visible in its values too.</summary>
    public static ChangeRecord Numbered(long version) => Set(version, "k" + (version % 7), $$"""{"v":{{version}}}""");

    public static ChangeRecord Delete(long version, string path, ChangeCause cause = ChangeCause.Write) =>
        new(version, StateEventType.Delete, StatePath.Parse(path), null, null, T0.AddSeconds(version), Origin, cause);

    public static ChangeRecord Ping(long version, string path) =>
        new(version, StateEventType.Ping, StatePath.Parse(path), null, null, T0.AddSeconds(version), Origin, ChangeCause.Write);

    public static string NewTempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "rs-journal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    public static async Task<List<JournalEntry>> ReadAllAsync(this IChangeJournal journal, CancellationToken cancellationToken = default)
    {
        var entries = new List<JournalEntry>();
        await foreach (JournalEntry entry in journal.ReadAsync(cancellationToken))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static async Task<List<JournalEntry>> ReadAllAsync(string path)
    {
        using var reader = new FileJournal(path);
        return await reader.ReadAllAsync();
    }

    /// <summary>The versions of the entries that are records.</summary>
    public static List<long> Versions(IEnumerable<JournalEntry> entries) =>
        entries.Where(e => e.Record is not null).Select(e => e.Record!.Version).ToList();

    public static string Text(ReadOnlyMemory<byte>? json) => json is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : "<null>";

    /// <summary>Appends bytes to the file as another writer (or a crash) would have left them.</summary>
    public static void AppendRaw(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
    }
}
