using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ReactiveStore.Storage;
using static ReactiveStore.Tests.ChangeLog.JournalTestSupport;

namespace ReactiveStore.Tests.ChangeLog;

/// <summary>The file journal on real files: format, versions, marks, torn and corrupt lines, locking and reading.</summary>
public sealed class FileJournalTests : IDisposable
{
    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly string _dir = NewTempDirectory();

    public void Dispose() => DeleteDirectory(_dir);

    private string JournalPath => Path.Combine(_dir, "journal.jsonl");

    // ---- Format and round trip ----

    [Fact]
    public async Task Every_kind_of_record_round_trips_through_the_file()
    {
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5));
        var fullMetadata = new EntryMetadata(3, created, created.AddDays(1).AddTicks(1234567))
        {
            ExpiresAt = created.AddDays(30),
            Tags = ["vip", "ünïcödé", "with space"],
            ModifiedBy = "alice@example.com",
            Comment = "price change: \"quoted\", back\\slash, tab\t, newline\n, NUL\u0000",
            DataHash = "sha256:abc",
            SchemaHash = "schema:1",
            RevisionHistory =
            [
                new EntryRevision(3, "alice", "sha256:abc", "schema:1", created.AddDays(1), "third"),
                new EntryRevision(2, null, null, null, created.AddHours(1), null),
            ],
        };
        string unicode = JsonSerializer.Serialize("héllo 世界 🎉 e\u0301 \u2028\u2029 <>&' \\ \" \t\r\n\u0001 \uD83D\uDE00", s_relaxed);
        string big = "\"" + new string('x', 1_500_000) + "\"";
        ChangeRecord[] records =
        [
            new(1, StateEventType.Set, StatePath.Parse("cart.total"), Encoding.UTF8.GetBytes("19.5"), fullMetadata, T0, new EventOrigin(1, 2, "node-7"), ChangeCause.Write),
            Set(2, "cart.items.0", """{"sku":"A-1","qty":2,"tags":["x",null,true,false],"nested":{"deep":[1.25e10,-0.0]}}""", ChangeCause.Effect),
            Set(3, "derived.count", "42", ChangeCause.Derived),
            Delete(4, "cart.items"),
            Delete(5, "session.token", ChangeCause.Expiry),
            Ping(6, "heartbeat"),
            Set(7, "text.unicode", unicode),
            Set(8, "blob", big),
            Set(9, "nothing", "null"),
        ];

        using (var journal = new FileJournal(JournalPath))
        {
            Assert.Equal(0, journal.Append(records[..3]));
            journal.Append(records[3..6]);
            journal.Append(records[6..]);
            Assert.Equal(9, journal.LastVersion);
        }

        // One line per change, each ending with \n, each a JSON object on its own.
        byte[] file = await File.ReadAllBytesAsync(JournalPath);
        Assert.Equal((byte)'\n', file[^1]);
        string[] lines = Encoding.UTF8.GetString(file)[..^1].Split('\n');
        Assert.Equal(records.Length, lines.Length);
        foreach (string line in lines)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }

        Assert.Contains("héllo 世界", lines[6], StringComparison.Ordinal); // written as UTF-8, not escaped
        for (int i = 0; i < records.Length; i++)
        {
            using JsonDocument line = JsonDocument.Parse(lines[i]);
            Assert.Equal(records[i].Type == StateEventType.Set, line.RootElement.TryGetProperty("value", out _));
            Assert.Equal(records[i].Type == StateEventType.Set, line.RootElement.TryGetProperty("meta", out _));
        }

        using var reader = new FileJournal(JournalPath);
        Assert.Equal(9, reader.LastVersion);
        List<JournalEntry> entries = await reader.ReadAllAsync();
        Assert.Equal(records.Length, entries.Count);
        for (int i = 0; i < records.Length; i++)
        {
            JournalEntry entry = entries[i];
            Assert.Equal(i + 1, entry.LineNumber);
            Assert.Null(entry.Problem);
            Assert.Equal(i == records.Length - 1, entry.IsLastLine);
            AssertSameRecord(records[i], entry.Record!);
        }
    }

    [Fact]
    public void Append_returns_the_length_before_the_append_as_its_mark()
    {
        using var journal = new FileJournal(JournalPath);
        long first = journal.Append([Numbered(1), Numbered(2)]);
        long lengthAfterFirst = new FileInfo(JournalPath).Length;
        long second = journal.Append([Numbered(3)]);
        long empty = journal.Append([]);

        Assert.Equal(0, first);
        Assert.True(lengthAfterFirst > 0);
        Assert.Equal(lengthAfterFirst, second);
        Assert.Equal(new FileInfo(JournalPath).Length, empty);
        Assert.Equal(3, journal.LastVersion);
    }

    [Fact]
    public async Task Versions_must_grow_and_a_refused_append_writes_nothing()
    {
        using var journal = new FileJournal(JournalPath);
        journal.Append([Numbered(5), Numbered(7)]);
        long length = new FileInfo(JournalPath).Length;

        ArgumentException equal = Assert.Throws<ArgumentException>(() => journal.Append([Numbered(7)]));
        Assert.Contains("version 7", equal.Message, StringComparison.Ordinal);
        Assert.Contains("changes[0]", equal.Message, StringComparison.Ordinal);

        ArgumentException older = Assert.Throws<ArgumentException>(() => journal.Append([Numbered(6)]));
        Assert.Contains("at version 7", older.Message, StringComparison.Ordinal);
        Assert.Contains("has version 6", older.Message, StringComparison.Ordinal);

        ArgumentException unordered = Assert.Throws<ArgumentException>(() => journal.Append([Numbered(8), Numbered(10), Numbered(9)]));
        Assert.Contains("changes[2]", unordered.Message, StringComparison.Ordinal);
        Assert.Contains("version 9", unordered.Message, StringComparison.Ordinal);
        Assert.Contains("version 10", unordered.Message, StringComparison.Ordinal);

        ArgumentException repeated = Assert.Throws<ArgumentException>(() => journal.Append([Numbered(8), Numbered(8)]));
        Assert.Contains("changes[1]", repeated.Message, StringComparison.Ordinal);

        ArgumentException nullChange = Assert.Throws<ArgumentException>(() => journal.Append([Numbered(8), null!]));
        Assert.Contains("changes[1] is null", nullChange.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => journal.Append(null!));

        Assert.Equal(length, new FileInfo(JournalPath).Length);
        Assert.Equal(7, journal.LastVersion);

        // The journal is still usable, and gaps between versions are allowed.
        journal.Append([Numbered(100)]);
        Assert.Equal([5, 7, 100], Versions(await journal.ReadAllAsync()));
    }

    [Fact]
    public async Task Versions_are_checked_against_what_an_earlier_instance_wrote()
    {
        using (var first = new FileJournal(JournalPath))
        {
            first.Append([Numbered(1), Numbered(2), Numbered(3)]);
        }

        using var second = new FileJournal(JournalPath);
        Assert.Equal(3, second.LastVersion);
        ArgumentException refused = Assert.Throws<ArgumentException>(() => second.Append([Numbered(3)]));
        Assert.Contains("at version 3", refused.Message, StringComparison.Ordinal);
        second.Append([Numbered(4)]);
        Assert.Equal([1, 2, 3, 4], Versions(await second.ReadAllAsync()));
    }

    [Fact]
    public async Task A_record_that_cannot_be_written_is_refused_and_nothing_is_written()
    {
        using var journal = new FileJournal(JournalPath);
        journal.Append([Numbered(1)]);
        long length = new FileInfo(JournalPath).Length;

        ChangeRecord badValue = Set(3, "bad", "{\"unterminated\":");
        ArgumentException refused = Assert.Throws<ArgumentException>(() => journal.Append([Numbered(2), badValue]));
        Assert.Contains("changes[1]", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'bad'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(length, new FileInfo(JournalPath).Length);
        Assert.Equal(1, journal.LastVersion);

        // A set with no value (the in-memory log's record over a corrupt entry) would be a line the reader refuses.
        var noValue = new ChangeRecord(2, StateEventType.Set, StatePath.Parse("corrupt"), entry: null, T0, Origin, ChangeCause.Write, valueJson: null, JsonSerializerOptions.Default);
        ArgumentException unreadable = Assert.Throws<ArgumentException>(() => journal.Append([noValue]));
        Assert.Contains("set without a value", unreadable.Message, StringComparison.Ordinal);
        Assert.Equal(length, new FileInfo(JournalPath).Length);

        journal.Append([Numbered(2)]);
        Assert.Equal([1, 2], Versions(await journal.ReadAllAsync()));
    }

    // ---- Truncation ----

    [Fact]
    public async Task TruncateTo_takes_an_append_back()
    {
        using var journal = new FileJournal(JournalPath);
        journal.Append([Numbered(1), Numbered(2)]);
        long mark = journal.Append([Numbered(3), Numbered(4), Numbered(5)]);
        Assert.Equal(5, journal.LastVersion);

        journal.TruncateTo(mark);

        Assert.Equal(mark, new FileInfo(JournalPath).Length);
        Assert.Equal(2, journal.LastVersion);
        Assert.Equal([1, 2], Versions(await journal.ReadAllAsync()));

        // The versions taken back can be appended again.
        journal.Append([Numbered(3)]);
        Assert.Equal([1, 2, 3], Versions(await journal.ReadAllAsync()));

        journal.TruncateTo(0);
        Assert.Equal(0, journal.LastVersion);
        Assert.Equal(0, new FileInfo(JournalPath).Length);
    }

    [Fact]
    public async Task TruncateTo_refuses_a_mark_Append_did_not_return()
    {
        using var journal = new FileJournal(JournalPath);
        journal.Append([Numbered(1)]);
        long mark = journal.Append([Numbered(2)]);
        long length = new FileInfo(JournalPath).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => journal.TruncateTo(-1));
        ArgumentOutOfRangeException past = Assert.Throws<ArgumentOutOfRangeException>(() => journal.TruncateTo(length + 1));
        Assert.Contains("past its end", past.Message, StringComparison.Ordinal);
        ArgumentException inside = Assert.Throws<ArgumentException>(() => journal.TruncateTo(mark + 3));
        Assert.Contains("not at the start of a line", inside.Message, StringComparison.Ordinal);

        Assert.Equal(length, new FileInfo(JournalPath).Length);
        Assert.Equal(2, journal.LastVersion);
        Assert.Equal([1, 2], Versions(await journal.ReadAllAsync()));
        journal.TruncateTo(length); // the end itself is a line start: nothing to do
        Assert.Equal(length, new FileInfo(JournalPath).Length);
    }

    [Fact]
    public async Task TruncateAfter_drops_the_changes_newer_than_a_version()
    {
        using var journal = new FileJournal(JournalPath);
        journal.Append([Numbered(1), Numbered(2)]);
        journal.Append([Numbered(3), Numbered(5)]);
        journal.Append([Numbered(8)]);

        journal.TruncateAfter(8);
        journal.TruncateAfter(100);
        Assert.Equal([1, 2, 3, 5, 8], Versions(await journal.ReadAllAsync()));

        journal.TruncateAfter(4); // between two versions: keeps 3
        Assert.Equal(3, journal.LastVersion);
        Assert.Equal([1, 2, 3], Versions(await journal.ReadAllAsync()));
        journal.Append([Numbered(4)]);
        Assert.Equal([1, 2, 3, 4], Versions(await journal.ReadAllAsync()));

        journal.TruncateAfter(0);
        Assert.Equal(0, journal.LastVersion);
        Assert.Equal(0, new FileInfo(JournalPath).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => journal.TruncateAfter(-1));
    }

    [Fact]
    public async Task TruncateAfter_finds_its_cut_far_back_in_a_long_journal()
    {
        // Thousands of lines over many 64 KiB chunks, some lines longer than a chunk: the backward scan crosses both.
        using var journal = new FileJournal(JournalPath, new FileJournalOptions { Durability = FileJournalDurability.Flush });
        var batch = new List<ChangeRecord>();
        for (long v = 1; v <= 5_000; v++)
        {
            batch.Add(v % 1_000 == 0 ? Set(v, "big", "\"" + new string('b', 100_000) + "\"") : Numbered(v));
            if (batch.Count == 50)
            {
                journal.Append(batch);
                batch.Clear();
            }
        }

        journal.TruncateAfter(1_234);
        Assert.Equal(1_234, journal.LastVersion);
        journal.TruncateAfter(999);
        Assert.Equal(999, journal.LastVersion);
        List<long> versions = Versions(await journal.ReadAllAsync());
        Assert.Equal(Enumerable.Range(1, 999).Select(v => (long)v), versions);

        using var reopened = new FileJournal(JournalPath);
        Assert.Equal(999, reopened.LastVersion);
    }

    // ---- Torn and corrupt lines ----

    [Fact]
    public async Task A_torn_last_line_is_not_data_and_the_next_append_replaces_it()
    {
        using (var journal = new FileJournal(JournalPath))
        {
            journal.Append([Numbered(1), Numbered(2)]);
        }

        byte[] good = await File.ReadAllBytesAsync(JournalPath);
        // Longer than the line that replaces it: a write that merely overwrote it would leave some of it behind.
        string half = Encoding.UTF8.GetString(ChangeRecordJson.Serialize(Set(3, "long", "\"" + new string('t', 2_000) + "\"")))[..1_000];
        AppendRaw(JournalPath, half);

        using var reopened = new FileJournal(JournalPath);
        Assert.Equal(2, reopened.LastVersion);
        List<JournalEntry> entries = await reopened.ReadAllAsync();
        Assert.Equal(3, entries.Count);
        Assert.False(entries[1].IsLastLine);
        JournalEntry torn = entries[2];
        Assert.Equal(3, torn.LineNumber);
        Assert.True(torn.IsLastLine);
        Assert.Null(torn.Record);
        Assert.Contains("no line break", torn.Problem, StringComparison.Ordinal);

        long mark = reopened.Append([Numbered(3)]);

        Assert.Equal(good.Length, mark);
        byte[] after = await File.ReadAllBytesAsync(JournalPath);
        Assert.Equal(good, after[..good.Length]);
        Assert.Equal(Encoding.UTF8.GetString(ChangeRecordJson.Serialize(Numbered(3))) + "\n", Encoding.UTF8.GetString(after[good.Length..]));
        List<JournalEntry> reread = await reopened.ReadAllAsync();
        Assert.Equal([1, 2, 3], Versions(reread));
        Assert.All(reread, e => Assert.Null(e.Problem));
    }

    [Fact]
    public async Task A_last_line_with_complete_json_but_no_line_break_is_still_torn()
    {
        using (var journal = new FileJournal(JournalPath))
        {
            journal.Append([Numbered(1)]);
        }

        AppendRaw(JournalPath, Encoding.UTF8.GetString(ChangeRecordJson.Serialize(Numbered(2))));

        using var reopened = new FileJournal(JournalPath);
        Assert.Equal(1, reopened.LastVersion);
        List<JournalEntry> entries = await reopened.ReadAllAsync();
        Assert.Equal(2, entries.Count);
        Assert.Null(entries[1].Record);
        Assert.True(entries[1].IsLastLine);
        Assert.Contains("its JSON is complete", entries[1].Problem, StringComparison.Ordinal);

        reopened.Append([Numbered(2)]);
        Assert.Equal([1, 2], Versions(await reopened.ReadAllAsync()));
    }

    [Fact]
    public async Task A_last_line_that_is_not_a_record_is_torn_and_cut_by_the_next_write()
    {
        using (var journal = new FileJournal(JournalPath))
        {
            journal.Append([Numbered(1), Numbered(2)]);
        }

        long good = new FileInfo(JournalPath).Length;
        AppendRaw(JournalPath, "\0\0\0\0{\"v\":3,\"ty\n"); // a power loss can leave zeros and a partial line

        using var reopened = new FileJournal(JournalPath);
        Assert.Equal(2, reopened.LastVersion);
        List<JournalEntry> entries = await reopened.ReadAllAsync();
        Assert.Equal(3, entries.Count);
        Assert.Equal(3, entries[2].LineNumber);
        Assert.True(entries[2].IsLastLine);
        Assert.NotNull(entries[2].Problem);

        reopened.TruncateAfter(2); // any write cuts the torn tail first
        Assert.Equal(good, new FileInfo(JournalPath).Length);
        Assert.Equal([1, 2], Versions(await reopened.ReadAllAsync()));
    }

    [Fact]
    public async Task A_corrupt_line_in_the_middle_is_reported_with_its_number_and_the_lines_after_it_still_read()
    {
        using (var journal = new FileJournal(JournalPath))
        {
            journal.Append([Numbered(1), Numbered(2)]);
        }

        AppendRaw(JournalPath, "this is not json\n");
        AppendRaw(JournalPath, "{\"v\":3,\"type\":\"set\"}\n"); // JSON, but not a record
        using (var journal = new FileJournal(JournalPath))
        {
            Assert.Equal(2, journal.LastVersion);
            journal.TruncateAfter(long.MaxValue); // the writer opens: the two bad lines are after the last record, so they go
        }

        Assert.Equal(2, (await ReadAllAsync(JournalPath)).Count);
        AppendRaw(JournalPath, "this is not json\n");
        AppendRaw(JournalPath, "{\"v\":3,\"type\":\"set\"}\n");
        AppendRaw(JournalPath, Encoding.UTF8.GetString(ChangeRecordJson.Serialize(Numbered(4))) + "\n");
        AppendRaw(JournalPath, "\n");
        AppendRaw(JournalPath, Encoding.UTF8.GetString(ChangeRecordJson.Serialize(Numbered(5))) + "\n");

        using var reopened = new FileJournal(JournalPath);
        Assert.Equal(5, reopened.LastVersion);
        List<JournalEntry> entries = await reopened.ReadAllAsync();
        Assert.Equal(7, entries.Count);
        Assert.Equal([1, 2, 4, 5], Versions(entries));
        Assert.Equal([3L, 4L, 6L], entries.Where(e => e.Problem is not null).Select(e => e.LineNumber));
        Assert.All(entries.Where(e => e.Problem is not null), e => Assert.False(e.IsLastLine));
        Assert.Contains("no 'path'", entries[3].Problem, StringComparison.Ordinal);
        Assert.Contains("empty", entries[5].Problem, StringComparison.Ordinal);
        Assert.True(entries[6].IsLastLine);

        // A middle corrupt line stays: a write only ever cuts what follows the last record.
        reopened.Append([Numbered(6)]);
        Assert.Equal([1, 2, 4, 5, 6], Versions(await reopened.ReadAllAsync()));
        Assert.Equal(3, (await reopened.ReadAllAsync()).Count(e => e.Problem is not null));
    }

    [Fact]
    public async Task A_line_longer_than_the_reader_holds_is_reported_and_skipped()
    {
        using (var journal = new FileJournal(JournalPath))
        {
            journal.Append([Numbered(1), Set(2, "big", "\"" + new string('z', 300_000) + "\""), Numbered(3)]);
        }

        var entries = new List<JournalEntry>();
        await foreach (JournalEntry entry in FileJournal.Read(JournalPath, maxLineLength: 100_000, CancellationToken.None))
        {
            entries.Add(entry);
        }

        Assert.Equal(3, entries.Count);
        Assert.Equal([1, 3], Versions(entries));
        Assert.Contains("bytes long", entries[1].Problem, StringComparison.Ordinal);
        Assert.True(entries[2].IsLastLine);
        Assert.Equal(3, Versions(await ReadAllAsync(JournalPath)).Count); // the default reader holds it
    }

    // ---- Reading ----

    [Fact]
    public async Task Reading_streams_lines_across_buffer_boundaries()
    {
        // Lines of every length around the 64 KiB buffer, so line breaks land at every place in it.
        var records = new List<ChangeRecord>();
        for (long v = 1; v <= 60; v++)
        {
            records.Add(Set(v, "p" + v, "\"" + new string((char)('a' + (v % 26)), (int)(v * 4_093 % 140_000)) + "\""));
        }

        using var journal = new FileJournal(JournalPath, new FileJournalOptions { Durability = FileJournalDurability.Flush });
        journal.Append(records);

        List<JournalEntry> entries = await journal.ReadAllAsync();
        Assert.Equal(records.Count, entries.Count);
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Null(entries[i].Problem);
            Assert.Equal(i + 1, entries[i].LineNumber);
            AssertSameRecord(records[i], entries[i].Record!);
        }
    }

    [Fact]
    public async Task Reading_an_empty_journal_gives_nothing_and_a_missing_one_throws()
    {
        using var missing = new FileJournal(JournalPath);
        FileNotFoundException ex = await Assert.ThrowsAsync<FileNotFoundException>(() => missing.ReadAllAsync());
        Assert.Contains(JournalPath, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, missing.LastVersion);

        missing.TruncateAfter(0); // creates the file
        Assert.True(File.Exists(JournalPath));
        Assert.Empty(await missing.ReadAllAsync());
    }

    [Fact]
    public async Task Reading_stops_when_cancelled()
    {
        using var journal = new FileJournal(JournalPath);
        journal.Append([Numbered(1), Numbered(2), Numbered(3)]);
        using var cancellation = new CancellationTokenSource();
        var seen = new List<long>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (JournalEntry entry in journal.ReadAsync(cancellation.Token))
            {
                seen.Add(entry.LineNumber);
                await cancellation.CancelAsync();
            }
        });
        Assert.Equal([1], seen);
    }

    [Fact]
    public async Task A_reader_running_while_the_writer_appends_sees_a_growing_prefix_in_order()
    {
        const int Groups = 400;
        using var writer = new FileJournal(JournalPath, new FileJournalOptions { Durability = FileJournalDurability.Flush });
        writer.Append([Numbered(1)]);
        int reads = 0;
        bool stop = false;
        Task writing = Task.Run(() =>
        {
            // A fixed amount of work, paced: every 10 groups the writer waits (up to 5 s) for one more read, so the two overlap on any machine.
            long v = 1;
            for (int g = 0; g < Groups && !Volatile.Read(ref stop); g++)
            {
                var group = new List<ChangeRecord>();
                for (int i = 0; i <= g % 4; i++)
                {
                    group.Add(++v % 50 == 0 ? Set(v, "big", "\"" + new string('q', 70_000) + "\"") : Numbered(v));
                }

                writer.Append(group);
                if (g % 10 == 9)
                {
                    int seen = Volatile.Read(ref reads);
                    SpinWait.SpinUntil(() => Volatile.Read(ref reads) > seen || Volatile.Read(ref stop), TimeSpan.FromSeconds(5));
                }
            }
        });

        using var reader = new FileJournal(JournalPath);
        long previousCount = 0;
        try
        {
            while (!writing.IsCompleted || reads == 0)
            {
                List<JournalEntry> entries = await reader.ReadAllAsync();
                for (int i = 0; i < entries.Count; i++)
                {
                    JournalEntry entry = entries[i];
                    Assert.Equal(i + 1, entry.LineNumber);
                    if (entry.Problem is not null)
                    {
                        // Only a line still being written, at the end of what this read saw.
                        Assert.True(entry.IsLastLine, $"line {entry.LineNumber} of {entries.Count}: {entry.Problem}");
                        continue;
                    }

                    Assert.Equal(i + 1, entry.Record!.Version); // versions 1, 2, 3… with no gap and none twice
                    if (entry.Record.Path.ToString() != "big")
                    {
                        Assert.Equal($$"""{"v":{{i + 1}}}""", Text(entry.Record.ValueJson));
                    }
                }

                Assert.True(entries.Count >= previousCount, "a later read saw fewer lines");
                previousCount = entries.Count;
                long last = reader.LastVersion;
                Assert.True(last >= Versions(entries).LastOrDefault(), "LastVersion is behind what was read");
                Interlocked.Increment(ref reads);
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            await writing;
        }

        List<JournalEntry> final = await reader.ReadAllAsync();
        long expected = 1 + Enumerable.Range(0, Groups).Sum(g => (g % 4) + 1);
        Assert.Equal(Enumerable.Range(1, (int)expected).Select(v => (long)v), Versions(final));
        Assert.False(reader.IsOpenForWriting);
        Assert.True(reads >= Groups / 10 / 2, $"only {reads} reads overlapped the writer");
    }

    // ---- Lifetime, locking and arguments ----

    [Fact]
    public void Creating_a_journal_touches_nothing_until_its_first_write()
    {
        string path = Path.Combine(_dir, "deep", "er", "journal.jsonl");
        using var journal = new FileJournal(path);
        Assert.False(journal.IsOpenForWriting);
        Assert.Equal(0, journal.LastVersion);
        Assert.False(Directory.Exists(Path.Combine(_dir, "deep")));

        journal.Append([Numbered(1)]);

        Assert.True(journal.IsOpenForWriting);
        Assert.True(File.Exists(path));
        Assert.True(File.Exists(path + ".lock"));
        Assert.Equal(path + ".lock", journal.LockFilePath);
        Assert.Equal(path, journal.FilePath);
    }

    [Fact]
    public async Task A_second_writer_is_refused_while_readers_go_on()
    {
        using var first = new FileJournal(JournalPath);
        first.Append([Numbered(1)]);

        using var second = new FileJournal(JournalPath);
        Assert.Equal(1, second.LastVersion); // reading takes no lock
        Assert.Equal([1], Versions(await second.ReadAllAsync()));
        StorageLockedException refused = Assert.Throws<StorageLockedException>(() => second.Append([Numbered(2)]));
        Assert.Equal(JournalPath + ".lock", refused.LockFile);
        Assert.Contains(JournalPath, refused.Message, StringComparison.Ordinal);
        Assert.Contains("ReadAsync", refused.Message, StringComparison.Ordinal);
        Assert.Throws<StorageLockedException>(() => second.TruncateAfter(0));
        Assert.Throws<StorageLockedException>(() => second.TruncateTo(0));
        Assert.False(second.IsOpenForWriting);

        first.Append([Numbered(2)]);
        Assert.Equal(2, second.LastVersion); // sees the other writer's appends
        first.Dispose();

        second.Append([Numbered(3)]);
        Assert.True(second.IsOpenForWriting);
        Assert.Equal([1, 2, 3], Versions(await second.ReadAllAsync()));
    }

    [Fact]
    public async Task Dispose_releases_the_lock_and_later_calls_throw()
    {
        var journal = new FileJournal(JournalPath);
        journal.Append([Numbered(1)]);
        Assert.True(journal.IsOpenForWriting);
        journal.Dispose();
        journal.Dispose();
        Assert.False(journal.IsOpenForWriting);

        Assert.Throws<ObjectDisposedException>(() => journal.Append([Numbered(2)]));
        Assert.Throws<ObjectDisposedException>(() => journal.TruncateTo(0));
        Assert.Throws<ObjectDisposedException>(() => journal.TruncateAfter(0));
        Assert.Throws<ObjectDisposedException>(() => journal.LastVersion);
        Assert.Throws<ObjectDisposedException>(() => journal.ReadAsync());

        using var next = new FileJournal(JournalPath);
        next.Append([Numbered(2)]);
        Assert.Equal([1, 2], Versions(await next.ReadAllAsync()));
    }

    [Fact]
    public void Bad_paths_and_options_are_refused_clearly()
    {
        Assert.Throws<ArgumentNullException>(() => new FileJournal(null!));
        Assert.Throws<ArgumentNullException>(() => new FileJournal(JournalPath, null!));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new FileJournal("")).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new FileJournal("  ")).Message, StringComparison.Ordinal);
        Assert.Contains("names a folder", Assert.Throws<ArgumentException>(() => new FileJournal(_dir)).Message, StringComparison.Ordinal);
        Assert.Contains("names a folder", Assert.Throws<ArgumentException>(() => new FileJournal(Path.Combine(_dir, "new") + Path.DirectorySeparatorChar)).Message, StringComparison.Ordinal);
        Assert.Contains("not a valid file path", Assert.Throws<ArgumentException>(() => new FileJournal("a\0b")).Message, StringComparison.Ordinal);

        string file = Path.Combine(_dir, "plain.txt");
        File.WriteAllText(file, "x");
        ArgumentException underFile = Assert.Throws<ArgumentException>(() => new FileJournal(Path.Combine(file, "sub", "journal.jsonl")));
        Assert.Contains("which is a file", underFile.Message, StringComparison.Ordinal);

        ArgumentOutOfRangeException durability = Assert.Throws<ArgumentOutOfRangeException>(() => new FileJournalOptions { Durability = (FileJournalDurability)42 });
        Assert.Contains("FsyncEachAppend or Flush", durability.Message, StringComparison.Ordinal);
        Assert.Equal(FileJournalDurability.FsyncEachAppend, new FileJournal(JournalPath).Options.Durability);
    }

    [Fact]
    public async Task Both_durabilities_write_the_same_file()
    {
        string flushPath = Path.Combine(_dir, "flush.jsonl");
        ChangeRecord[] records = [Numbered(1), Delete(2, "a"), Ping(3, "b")];
        using (var fsync = new FileJournal(JournalPath))
        using (var flush = new FileJournal(flushPath, new FileJournalOptions { Durability = FileJournalDurability.Flush }))
        {
            fsync.Append(records);
            flush.Append(records);
        }

        Assert.Equal(await File.ReadAllBytesAsync(JournalPath), await File.ReadAllBytesAsync(flushPath));
    }

    private static void AssertSameRecord(ChangeRecord expected, ChangeRecord actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected.Cause, actual.Cause);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.Timestamp.Offset, actual.Timestamp.Offset);
        Assert.Equal(expected.Origin, actual.Origin);
        if (expected.ValueJson is { } value)
        {
            using JsonDocument want = JsonDocument.Parse(value);
            using JsonDocument got = JsonDocument.Parse(actual.ValueJson!.Value);
            Assert.True(JsonElement.DeepEquals(want.RootElement, got.RootElement), $"v{expected.Version}: value {Text(actual.ValueJson)} differs from {Text(value)}");
        }
        else
        {
            // ChangeRecordJson.Deserialize (the contract, not the journal) gives an empty value rather than null for a
            // line without "value"; the journal's own part, no "value" in the line, is checked on the file.
            Assert.True(actual.ValueJson is null || actual.ValueJson.Value.IsEmpty, $"v{expected.Version}: a {expected.Type} read back with a value");
        }

        if (expected.Metadata is not { } meta)
        {
            Assert.Null(actual.Metadata);
            return;
        }

        EntryMetadata got2 = actual.Metadata!;
        Assert.Equal(meta.Version, got2.Version);
        Assert.Equal(meta.CreatedAt, got2.CreatedAt);
        Assert.Equal(meta.CreatedAt.Offset, got2.CreatedAt.Offset);
        Assert.Equal(meta.UpdatedAt, got2.UpdatedAt);
        Assert.Equal(meta.ExpiresAt, got2.ExpiresAt);
        Assert.Equal(meta.Tags, got2.Tags);
        Assert.Equal(meta.ModifiedBy, got2.ModifiedBy);
        Assert.Equal(meta.Comment, got2.Comment);
        Assert.Equal(meta.DataHash, got2.DataHash);
        Assert.Equal(meta.SchemaHash, got2.SchemaHash);
        Assert.Equal(meta.RevisionHistory, got2.RevisionHistory);
    }
}
