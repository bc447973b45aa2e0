using System.Globalization;
using System.Text;
using ReactiveStore;

/// <summary>The journal modes of the crash writer (tests/ReactiveStore.Tests/ChangeLog/FileJournalProcessTests.cs).</summary>
/// <remarks>
/// <c>journal-fsync|journal-flush &lt;path&gt; &lt;seed&gt;</c>: opens a <see cref="FileJournal"/> with that durability, prints
/// "ready", then appends groups of 1–5 changes forever, versions continuing from <see cref="FileJournal.LastVersion"/>,
/// and prints "ack &lt;version&gt;" for the group's last version once <see cref="FileJournal.Append"/> returned. Every set's
/// value is <c>{"v":version,"pad":"…"}</c>, so the parent can tell a record that is whole from one that is not.
/// <c>hold journal &lt;path&gt;</c>: takes the writer's lock, prints "ready", keeps it until stdin closes.
/// <c>probe journal &lt;path&gt;</c>: tries to take the writer's lock once; prints "opened" or "refused &lt;type&gt;: &lt;message&gt;".
/// </remarks>
internal static class JournalWriter
{
    public static int Run(string[] args)
    {
        if (args[0] is "hold" or "probe")
        {
            return Probe(args[0], args[2]);
        }

        FileJournalDurability durability = args[0] == "journal-flush" ? FileJournalDurability.Flush : FileJournalDurability.FsyncEachAppend;
        var random = new Random(int.Parse(args[2], CultureInfo.InvariantCulture));
        using var journal = new FileJournal(args[1], new FileJournalOptions { Durability = durability });
        journal.TruncateAfter(long.MaxValue); // takes the lock and cuts a torn tail before "ready"
        long version = journal.LastVersion;
        Console.Out.Write("ready\n");
        Console.Out.Flush();
        var origin = new EventOrigin(Environment.ProcessId, 1, null);
        var created = DateTimeOffset.UtcNow;
        var group = new List<ChangeRecord>(5);
        while (true)
        {
            group.Clear();
            int count = random.Next(1, 6);
            for (int i = 0; i < count; i++)
            {
                version++;
                var path = StatePath.Parse("k" + (version % 10).ToString(CultureInfo.InvariantCulture));
                int kind = random.Next(10);
                if (kind == 0)
                {
                    group.Add(new ChangeRecord(version, StateEventType.Delete, path, null, null, DateTimeOffset.UtcNow, origin, ChangeCause.Write));
                    continue;
                }

                int pad = random.Next(0, 25) == 0 ? random.Next(20_000, 100_000) : random.Next(0, 500);
                byte[] value = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"v":{{version}},"pad":"{{new string((char)('a' + (version % 26)), pad)}}"}"""));
                var metadata = new EntryMetadata(version, created, DateTimeOffset.UtcNow) { ModifiedBy = "crash-writer", Tags = ["crash"] };
                group.Add(new ChangeRecord(version, StateEventType.Set, path, value, metadata, DateTimeOffset.UtcNow, origin, ChangeCause.Write));
            }

            journal.Append(group);
            Console.Out.Write("ack " + version.ToString(CultureInfo.InvariantCulture) + "\n");
            Console.Out.Flush();
        }
    }

    private static int Probe(string action, string path)
    {
        using var journal = new FileJournal(path);
        try
        {
            journal.TruncateAfter(long.MaxValue);
        }
        catch (IOException ex)
        {
            Console.Out.Write($"refused {ex.GetType().Name}: {ex.Message}\n");
            Console.Out.Flush();
            return 0;
        }

        Console.Out.Write(action == "hold" ? "ready\n" : "opened\n");
        Console.Out.Flush();
        if (action == "hold")
        {
            _ = Console.In.ReadToEnd();
        }

        return 0;
    }
}
