using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReactiveStore.Storage;
using ReactiveStore.Tests.Storage;
using Xunit.Abstractions;
using static ReactiveStore.Tests.ChangeLog.JournalTestSupport;

namespace ReactiveStore.Tests.ChangeLog;

/// <summary>The journal against a second OS process (tests/ReactiveStore.CrashWriter, JournalWriter.cs): the writer's lock
/// across processes, and appends that survive SIGKILL.</summary>
public sealed class FileJournalProcessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_budgetPerMode = TimeSpan.FromSeconds(12);
    private readonly string _dir = NewTempDirectory();

    public void Dispose() => DeleteDirectory(_dir);

    private string JournalPath => Path.Combine(_dir, "journal.jsonl");

    [Fact]
    public async Task A_journal_another_process_writes_can_be_read_but_not_written()
    {
        using (var seed = new FileJournal(JournalPath))
        {
            seed.Append([Numbered(1), Numbered(2)]);
        }

        await using (await CrashWriterProcess.HoldAsync("journal", JournalPath))
        {
            using var here = new FileJournal(JournalPath);
            Assert.Equal(2, here.LastVersion);
            Assert.Equal([1, 2], Versions(await here.ReadAllAsync()));
            StorageLockedException refused = Assert.Throws<StorageLockedException>(() => here.Append([Numbered(3)]));
            Assert.Equal(JournalPath + ".lock", refused.LockFile);
            Assert.False(here.IsOpenForWriting);
        }

        // The other process is gone: its lock went with it.
        using var after = new FileJournal(JournalPath);
        after.Append([Numbered(3)]);
        Assert.Equal([1, 2, 3], Versions(await after.ReadAllAsync()));
    }

    [Fact]
    public async Task Another_process_cannot_write_a_journal_this_one_writes()
    {
        using (var journal = new FileJournal(JournalPath))
        {
            journal.Append([Numbered(1)]);
            string refused = await CrashWriterProcess.RunAsync("probe", "journal", JournalPath);
            Assert.StartsWith("refused StorageLockedException", refused, StringComparison.Ordinal);
            Assert.Contains(JournalPath, refused, StringComparison.Ordinal);
        }

        string opened = await CrashWriterProcess.RunAsync("probe", "journal", JournalPath);
        Assert.Equal("opened\n", opened);
    }

    [Theory]
    [InlineData("journal-fsync", 8)]
    [InlineData("journal-flush", 8)]
    public async Task Acknowledged_appends_survive_SIGKILL_and_a_torn_tail_is_never_continued(string mode, int runs)
    {
        var random = new Random(mode.Length * 7919);
        var clock = Stopwatch.StartNew();
        long acked = 0;
        int done = 0;
        int tornTails = 0;
        long records = 0;
        for (int run = 0; run < runs && clock.Elapsed < s_budgetPerMode; run++)
        {
            bool early = run % 4 == 1; // killed right after "ready", often before the first ack
            (long lastAck, string stderr) = await RunAndKill(mode, seed: run, early ? random.Next(0, 10) : random.Next(5, 60), afterFirstAck: !early);
            Assert.True(stderr.Length == 0, $"run {run}: the writer failed: {stderr}");
            acked = Math.Max(acked, lastAck);
            (records, bool torn) = await Verify(acked, run);
            tornTails += torn ? 1 : 0;
            done++;
        }

        output.WriteLine($"{mode}: {done} runs killed with SIGKILL in {clock.Elapsed.TotalSeconds:F1} s; {records} records, last acknowledged version {acked}; " +
            $"{tornTails} kills left a torn last line (cut by the next run); every acknowledged version present, versions 1..{records} with no gap");
        Assert.True(done >= 3, $"Only {done} runs fit in the time budget.");
        Assert.True(acked > 0, "No append was acknowledged.");
    }

    /// <summary>Reads the journal as the kill left it: versions 1..N in order, whole values, a problem only on the last line.</summary>
    private async Task<(long Records, bool TornTail)> Verify(long acked, int run)
    {
        List<JournalEntry> entries = await ReadAllAsync(JournalPath);
        bool torn = false;
        long expected = 1;
        foreach (JournalEntry entry in entries)
        {
            if (entry.Record is not { } record)
            {
                Assert.True(entry.IsLastLine, $"run {run}: line {entry.LineNumber} is not a record but is not the last line: {entry.Problem}");
                torn = true;
                continue;
            }

            Assert.Equal(expected++, record.Version);
            if (record.ValueJson is { IsEmpty: false } value)
            {
                using JsonDocument document = JsonDocument.Parse(value);
                Assert.Equal(record.Version, document.RootElement.GetProperty("v").GetInt64());
            }
        }

        long last = expected - 1;
        Assert.True(last >= acked, $"run {run}: version {acked} was acknowledged, the journal ends at {last}");
        using var journal = new FileJournal(JournalPath);
        Assert.Equal(last, journal.LastVersion);
        return (last, torn);
    }

    private async Task<(long LastAck, string Stderr)> RunAndKill(string mode, int seed, int delayMs, bool afterFirstAck)
    {
        using var process = Process.Start(CrashWriterProcess.StartInfo(mode, JournalPath, seed.ToString(CultureInfo.InvariantCulture)))!;
        var stdout = new MemoryStream();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstAck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task pump = Task.Run(async () =>
        {
            byte[] buffer = new byte[16384];
            int read;
            while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
            {
                lock (stdout)
                {
                    stdout.Write(buffer, 0, read);
                    if (stdout.Length >= 6)
                    {
                        ready.TrySetResult();
                    }

                    if (stdout.Length > 6 && stdout.GetBuffer().AsSpan(6, (int)stdout.Length - 6).Contains((byte)'\n'))
                    {
                        firstAck.TrySetResult();
                    }
                }
            }

            ready.TrySetResult();
            firstAck.TrySetResult();
        });
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await (afterFirstAck ? firstAck.Task : ready.Task).WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(delayMs);
        }
        finally
        {
            process.Kill(); // SIGKILL on Linux: no finally blocks, no disposal, no flush
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await pump.WaitAsync(TimeSpan.FromSeconds(30));

        // Only complete lines count: an ack cut by the kill was never fully given.
        string text = Encoding.UTF8.GetString(stdout.ToArray());
        int end = text.LastIndexOf('\n');
        long lastAck = 0;
        foreach (string line in (end < 0 ? string.Empty : text[..end]).Split('\n'))
        {
            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                lastAck = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
            }
        }

        return (lastAck, (await stderr).Trim());
    }
}
