using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ReactiveStore.Storage;
using Xunit.Abstractions;

namespace ReactiveStore.Tests.Storage;

/// <summary>Kills a writer process (SIGKILL) at random moments and checks that every acknowledged write survived and nothing is torn.</summary>
/// <remarks>The child is tests/ReactiveStore.CrashWriter. It keeps writing to one storage across all runs of a mode, so each
/// run also reopens what the previous kill left behind (leftover temp files, a WAL to recover).</remarks>
public sealed class StorageCrashTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_budgetPerMode = TimeSpan.FromSeconds(25);
    private readonly string _dir = StorageTestSupport.NewTempDirectory();

    public void Dispose() => StorageTestSupport.DeleteDirectory(_dir);

    [Theory]
    [InlineData("fs", 12)]
    [InlineData("fs-nosync", 8)]
    [InlineData("sqlite-full", 12)]
    [InlineData("sqlite-normal", 8)]
    [InlineData("caching-fs", 8)]
    [InlineData("store-fs", 6)]
    [InlineData("store-sqlite-full", 6)]
    [InlineData("store-caching-fs", 4)]
    [InlineData("store-async-sqlite-full", 6)]
    [InlineData("store-async-fs", 4)]
    public async Task Acknowledged_writes_survive_SIGKILL_and_no_entry_is_torn(string mode, int runs)
    {
        string path = StoragePath(mode);
        var acked = new Dictionary<string, long>(StringComparer.Ordinal);
        var random = new Random(mode.Length * 7919);
        var clock = Stopwatch.StartNew();
        int done = 0;
        int totalAcks = 0;
        int killedBeforeFirstAck = 0;
        int batchesChecked = 0;
        for (int run = 0; run < runs && clock.Elapsed < s_budgetPerMode; run++)
        {
            // One run in four is killed soon after opening (often before its first ack, mid-recovery of the last kill);
            // the others a random moment after their first ack, so every run under load still acknowledges something.
            bool early = run % 4 == 1;
            int delayMs = early ? random.Next(0, 30) : random.Next(0, 250);
            (List<(string Key, long Version)> acks, string stderr) = await RunAndKill(mode, path, seed: run, delayMs, afterFirstAck: !early);
            Assert.True(stderr.Length == 0, $"run {run}: the writer failed: {stderr}");
            totalAcks += acks.Count;
            killedBeforeFirstAck += acks.Count == 0 ? 1 : 0;
            foreach ((string key, long version) in acks)
            {
                acked[key] = Math.Max(acked.GetValueOrDefault(key), version);
            }

            batchesChecked += Verify(mode, path, acked, run);
            done++;
        }

        output.WriteLine($"{mode}: {done} runs killed with SIGKILL in {clock.Elapsed.TotalSeconds:F1} s, {totalAcks} acknowledged writes, {acked.Count} keys, " +
            $"max version {(acked.Count == 0 ? 0 : acked.Values.Max())}, {killedBeforeFirstAck} runs killed before their first ack (early kills); all acknowledged writes present, no torn entry" +
            (HasAtomicBatches(mode) ? $"; {batchesChecked} stored multi-key batches checked all-or-nothing after the kills" : string.Empty));
        Assert.True(done >= Math.Min(runs, 3), $"Only {done} runs fit in the time budget.");
        Assert.NotEmpty(acked);
        if (HasAtomicBatches(mode))
        {
            Assert.True(batchesChecked > 0, "No multi-key batch was on disk to check for atomicity.");
        }
    }

    /// <summary>Whether a mode promises that one <c>Write</c> of several keys is all-or-nothing across a crash (SQLite: one transaction).</summary>
    /// <remarks>The file system writes a batch file by file and documents that a crash may leave a prefix of it; the
    /// caching mode flushes into the file system. Store-level modes are checked by the store's own tests.</remarks>
    private static bool HasAtomicBatches(string mode) => mode is "sqlite-full" or "sqlite-normal";

    private string StoragePath(string mode) =>
        mode.Contains("sqlite", StringComparison.Ordinal) ? Path.Combine(_dir, "state.db") : Path.Combine(_dir, "state");

    private static IStateStorage OpenForCheck(string mode, string path) => mode.Contains("sqlite", StringComparison.Ordinal)
        ? new SqliteStorage(path)
        : new FileSystemStorage(path);

    /// <summary>Reopens the storage and checks it; returns how many multi-key batches it checked for atomicity.</summary>
    private static int Verify(string mode, string path, Dictionary<string, long> acked, int run)
    {
        using IStateStorage storage = OpenForCheck(mode, path);

        // Every entry deserializes (no corrupted placeholder) and its value matches its metadata.
        var entries = storage.ReadAll().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach ((string key, StoredEntry entry) in entries)
        {
            Assert.True(entry.Corruption is null, $"run {run}: '{key}' is corrupt: {entry.Corruption?.Message}");
            using JsonDocument value = JsonDocument.Parse(entry.ValueJson);
            Assert.True(value.RootElement.GetProperty("v").GetInt64() == entry.Metadata.Version, $"run {run}: '{key}' has value v{value.RootElement.GetProperty("v")} under metadata v{entry.Metadata.Version}");
        }

        foreach ((string key, long version) in acked)
        {
            Assert.True(entries.TryGetValue(key, out StoredEntry? entry), $"run {run}: acknowledged '{key}' v{version} is missing");
            Assert.True(entry.Metadata.Version >= version, $"run {run}: acknowledged '{key}' v{version}, found v{entry.Metadata.Version}");
        }

        int batches = 0;
        if (HasAtomicBatches(mode))
        {
            // All-or-nothing: an entry written by batch B names every key of B with the version B gave it; each of those
            // keys must be at that version or later (versions only grow). A torn batch leaves some member older.
            foreach ((string key, StoredEntry entry) in entries)
            {
                using JsonDocument value = JsonDocument.Parse(entry.ValueJson);
                JsonElement members = value.RootElement.GetProperty("members");
                int count = 0;
                foreach (JsonProperty member in members.EnumerateObject())
                {
                    count++;
                    long stored = entries.TryGetValue(member.Name, out StoredEntry? other) ? other.Metadata.Version : 0;
                    Assert.True(stored >= member.Value.GetInt64(),
                        $"run {run}: '{key}' v{entry.Metadata.Version} was written in batch {value.RootElement.GetProperty("batch")} with '{member.Name}' v{member.Value.GetInt64()}, but '{member.Name}' is at v{stored}: the batch is torn");
                }

                batches += count > 1 ? 1 : 0;
            }
        }

        if (storage is FileSystemStorage files)
        {
            Assert.Empty(Directory.GetFiles(files.RootDirectory, "*.tmp", SearchOption.AllDirectories));
        }

        return batches;
    }

    private static async Task<(List<(string Key, long Version)> Acks, string Stderr)> RunAndKill(string mode, string path, int seed, int delayMs, bool afterFirstAck)
    {
        ProcessStartInfo start = CrashWriterProcess.StartInfo(mode, path, seed.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
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

                    if (!firstAck.Task.IsCompleted && stdout.Length > 6 && stdout.GetBuffer().AsSpan(6, (int)stdout.Length - 6).Contains((byte)'\n'))
                    {
                        firstAck.TrySetResult();
                    }
                }
            }

            ready.TrySetResult();
            firstAck.TrySetResult();
        });
        Task<string> stderr = process.StandardError.ReadToEndAsync();

        await (afterFirstAck ? firstAck.Task : ready.Task).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(delayMs);
        process.Kill(); // SIGKILL on Linux: no finally blocks, no disposal, no flush.
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await pump.WaitAsync(TimeSpan.FromSeconds(30));

        // Only complete lines count: a line cut by the kill was never fully acknowledged.
        string text = Encoding.UTF8.GetString(stdout.ToArray());
        int end = text.LastIndexOf('\n');
        var acks = new List<(string, long)>();
        foreach (string line in (end < 0 ? string.Empty : text[..end]).Split('\n'))
        {
            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                acks.Add((parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture)));
            }
        }

        return (acks, (await stderr).Trim());
    }
}
