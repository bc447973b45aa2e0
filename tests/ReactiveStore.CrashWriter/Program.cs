using System.Globalization;
using System.Text;
using ReactiveStore;
using ReactiveStore.Storage;

// Usage:
//   ReactiveStore.CrashWriter [store-]<mode> <path> <seed>
//     Opens the storage, prints "ready", then writes batches of 1–4 keys forever. After each Write returns (and after
//     Flush() for the buffered mode) it prints "ack <key> <version>" for every key of the batch: from that moment the
//     write must survive the process being killed. The parent kills it with SIGKILL at a random moment. Every value
//     names the keys and versions of its whole batch ("members"), so the parent can check batches are all-or-nothing.
//     With the "store-" prefix the writes go through a StateStore opened on the driver (Batch of Sets; FlushAsync for the
//     buffered mode), and the acknowledged version is the one the store's metadata gave the entry.
//     With "store-async-" eight writers await SetAsync concurrently (group commit), with a century-long TTL and tags, and
//     a Track effect mirrors one key into another; each writer acks its key once SetAsync completed, and the mirror's
//     version once the write that triggered it completed.
//   ReactiveStore.CrashWriter hold <driver> <path>
//     Opens the driver, prints "ready", and keeps it open until stdin closes or the process is killed.
//   ReactiveStore.CrashWriter probe <driver> <path> [key]
//     Tries to open the driver once and prints "opened" (then "version <v>" or "missing" for the key), or
//     "refused <exception type>: <message>"; exits 0 either way.
// Modes and drivers: fs, fs-nosync, sqlite-full, sqlite-normal, sqlite-readonly, caching-fs; the journal modes
// (journal-fsync, journal-flush, hold/probe journal) are described in JournalWriter.cs.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ReactiveStore.CrashWriter [store-]<fs|fs-nosync|sqlite-full|sqlite-normal|caching-fs> <path> <seed> | hold <driver> <path> | probe <driver> <path> [key]");
    return 2;
}

if (args[0].StartsWith("journal-", StringComparison.Ordinal) || (args[0] is "hold" or "probe" && args[1] == "journal"))
{
    return JournalWriter.Run(args);
}

if (args[0] is "hold" or "probe")
{
    return Probe.Run(args[0], args[1], args[2], args.Length > 3 ? args[3] : null);
}

bool throughStore = args[0].StartsWith("store-", StringComparison.Ordinal);
string mode = throughStore ? args[0]["store-".Length..] : args[0];
bool concurrent = throughStore && mode.StartsWith("async-", StringComparison.Ordinal);
mode = concurrent ? mode["async-".Length..] : mode;
string path = args[1];
var random = new Random(int.Parse(args[2], CultureInfo.InvariantCulture));
string[] keys = ["k0", "k1", "k2", "k3", "k4", "k5", "g", "g.a", "g.b", "g.a.deep", "h.x.y.z", "h.w", "big0", "big1", "n.m0", "n.m1"];

using IStateStorage storage = Drivers.Open(mode, path);
bool buffered = mode == "caching-fs";
if (concurrent)
{
    return await ConcurrentStoreWriter.RunAsync(storage);
}

if (throughStore)
{
    return StoreWriter.Run(storage, buffered, random);
}

// Continue every key's version from what an earlier (killed) run left.
var versions = new Dictionary<string, long>(StringComparer.Ordinal);
foreach (KeyValuePair<string, StoredEntry> pair in storage.ReadAll())
{
    versions[pair.Key] = pair.Value.Metadata.Version;
}

Console.Out.Write("ready\n");
Console.Out.Flush();
var created = DateTimeOffset.UtcNow;
var acks = new StringBuilder();
for (long batchNumber = 1; ; batchNumber++)
{
    int count = random.Next(1, 5);
    var batch = new List<(string Key, long Version)>(count);
    for (int i = 0; i < count; i++)
    {
        string key = keys[random.Next(keys.Length)];
        if (batch.Exists(w => w.Key == key))
        {
            continue;
        }

        long version = versions.GetValueOrDefault(key) + 1;
        versions[key] = version;
        batch.Add((key, version));
    }

    // Every value of the batch lists all of it: after a crash, a key at this version means every member reached this version too (when batches are atomic).
    var members = new StringBuilder("{");
    foreach ((string key, long version) in batch)
    {
        members.Append(members.Length > 1 ? "," : string.Empty).Append('"').Append(key).Append("\":").Append(version.ToString(CultureInfo.InvariantCulture));
    }

    members.Append('}');
    var writes = new List<StorageWrite>(batch.Count);
    foreach ((string key, long version) in batch)
    {
        int pad = key.StartsWith("big", StringComparison.Ordinal) ? random.Next(20_000, 200_000) : random.Next(0, 2_000);
        string value = string.Create(CultureInfo.InvariantCulture, $$"""{"v":{{version}},"batch":{{batchNumber}},"members":{{members}},"pad":"{{new string((char)('a' + (version % 26)), pad)}}"}""");
        var now = DateTimeOffset.UtcNow;
        var metadata = new EntryMetadata(version, created, now)
        {
            ModifiedBy = "crash-writer",
            Tags = ["crash"],
            RevisionHistory = [new EntryRevision(version, "crash-writer", null, null, now, null)],
        };
        writes.Add(new StorageWrite(key, new StoredEntry(Encoding.UTF8.GetBytes(value), metadata)));
    }

    storage.Write(writes);
    if (buffered && batchNumber % 3 == 0)
    {
        // Buffered mode acknowledges only what a Flush() has made durable: every third batch, three batches at once.
        storage.Flush();
    }
    else if (buffered)
    {
        continue;
    }

    acks.Clear();
    foreach (KeyValuePair<string, long> pair in buffered ? versions : writes.ToDictionary(w => w.Key, w => w.Entry!.Metadata.Version))
    {
        acks.Append("ack ").Append(pair.Key).Append(' ').Append(pair.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    Console.Out.Write(acks.ToString());
    Console.Out.Flush();
}

/// <summary>Opens the drivers the modes name.</summary>
internal static class Drivers
{
    public static IStateStorage Open(string mode, string path) => mode switch
    {
        "fs" => new FileSystemStorage(path),
        "fs-nosync" => new FileSystemStorage(path, new FileSystemStorageOptions { FlushToDisk = false }),
        "sqlite-full" => new SqliteStorage(path),
        "sqlite-normal" => new SqliteStorage(path, new SqliteStorageOptions { Synchronous = SqliteSynchronous.Normal }),
        "sqlite-readonly" => new SqliteStorage(path, new SqliteStorageOptions { ReadOnly = true }),
        "caching-fs" => new CachingStorage(new FileSystemStorage(path, new FileSystemStorageOptions { FlushToDisk = false }), new CachingOptions()),
        _ => throw new ArgumentException($"Unknown mode '{mode}'.", nameof(mode)),
    };
}

/// <summary>The lock and read-only checks: hold a driver open for the parent to collide with, or try to open one beside the parent's.</summary>
internal static class Probe
{
    public static int Run(string action, string driver, string path, string? key)
    {
        IStateStorage storage;
        try
        {
            storage = Drivers.Open(driver, path);
        }
        catch (IOException ex)
        {
            Console.Out.Write($"refused {ex.GetType().Name}: {ex.Message}\n");
            Console.Out.Flush();
            return 0;
        }

        using (storage)
        {
            if (action == "hold")
            {
                Console.Out.Write("ready\n");
                Console.Out.Flush();
                _ = Console.In.ReadToEnd();
                return 0;
            }

            Console.Out.Write("opened\n");
            if (key is not null)
            {
                Console.Out.Write(storage.TryGet(key, out StoredEntry? entry) ? $"version {entry.Metadata.Version.ToString(CultureInfo.InvariantCulture)}\n" : "missing\n");
            }

            Console.Out.Flush();
            return 0;
        }
    }
}

/// <summary>The store-level variant: the same workload through <see cref="StateStore"/>.</summary>
internal static class StoreWriter
{
    private static readonly string[] s_keys = ["s.k0", "s.k1", "s.k2", "s.k3", "s.k4", "s.n.a", "s.n.b", "s.big0", "s.big1", "t.x.y"];

    public static int Run(IStateStorage storage, bool buffered, Random random)
    {
        using var store = new StateStore(new StateStoreOptions { Storage = storage, DispatchMode = DispatchMode.Inline });
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string key in s_keys)
        {
            versions[key] = store.GetEntry<CrashValue>(key)?.Metadata.Version ?? 0;
        }

        Console.Out.Write("ready\n");
        Console.Out.Flush();
        var acks = new StringBuilder();
        var written = new List<(string Key, long Version)>();
        for (long batchNumber = 1; ; batchNumber++)
        {
            int count = random.Next(1, 5);
            written.Clear();
            store.Batch(w =>
            {
                for (int i = 0; i < count; i++)
                {
                    string key = s_keys[random.Next(s_keys.Length)];
                    if (written.Exists(x => x.Key == key))
                    {
                        continue;
                    }

                    long expected = versions[key] + 1;
                    int pad = key.Contains("big", StringComparison.Ordinal) ? random.Next(20_000, 200_000) : random.Next(0, 2_000);
                    StateEntry<CrashValue> entry = w.Set(key, new CrashValue(expected, batchNumber, new string((char)('a' + (expected % 26)), pad)));
                    if (entry.Metadata.Version != expected)
                    {
                        throw new InvalidOperationException($"'{key}': expected version {expected}, the store gave {entry.Metadata.Version}.");
                    }

                    versions[key] = expected;
                    written.Add((key, expected));
                }
            });

            if (buffered && batchNumber % 3 != 0)
            {
                continue;
            }

            if (buffered)
            {
                store.FlushAsync().GetAwaiter().GetResult();
            }

            acks.Clear();
            foreach ((string key, long version) in buffered ? versions.Select(p => (p.Key, p.Value)) : written)
            {
                if (version > 0)
                {
                    acks.Append("ack ").Append(key).Append(' ').Append(version.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
            }

            Console.Out.Write(acks.ToString());
            Console.Out.Flush();
        }
    }
}

/// <summary>The concurrent store-level variant: group commit, TTLs, tags and an effect's writes, all acknowledged only
/// once durable.</summary>
internal static class ConcurrentStoreWriter
{
    private static readonly SetOptions s_options = new() { Ttl = TimeSpan.FromDays(36_500), Tags = ["crash", "ttl"] };

    public static async Task<int> RunAsync(IStateStorage storage)
    {
        var store = new StateStore(new StateStoreOptions { Storage = storage, DispatchMode = DispatchMode.Inline });
        var gate = new object();

        // The effect: every write of a.w0.k0 is mirrored into a.mirror (its version read without tracking).
        using IDisposable mirror = store.Track(ctx =>
        {
            CrashValue? source = ctx.Get<CrashValue>("a.w0.k0");
            if (source is null)
            {
                return;
            }

            long next = ReactiveStore.Signals.Signals.Untracked(() => store.GetEntry<CrashValue>("a.mirror")?.Metadata.Version ?? 0) + 1;
            store.Set("a.mirror", new CrashValue(next, source.V, "mirror of " + source.V), new SetOptions { ExpiresAt = DateTimeOffset.MaxValue, Tags = ["mirror"] });
        });

        Console.Out.Write("ready\n");
        Console.Out.Flush();
        Task[] writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var versions = new long[3];
            for (int k = 0; k < versions.Length; k++)
            {
                versions[k] = store.GetEntry<CrashValue>($"a.w{w}.k{k}")?.Metadata.Version ?? 0;
            }

            for (long n = 0; ; n++)
            {
                int k = (int)(n % versions.Length);
                string key = $"a.w{w}.k{k}";
                long expected = versions[k] + 1;
                StateEntry<CrashValue> entry = await store.SetAsync(key, new CrashValue(expected, n, new string('x', (int)(n % 500))), s_options);
                if (entry.Metadata.Version != expected)
                {
                    throw new InvalidOperationException($"'{key}': expected version {expected}, the store gave {entry.Metadata.Version}.");
                }

                versions[k] = expected;
                string line = $"ack {key} {expected}\n";
                if (key == "a.w0.k0" && store.GetEntry<CrashValue>("a.mirror") is { } mirrored)
                {
                    line += $"ack a.mirror {mirrored.Metadata.Version}\n";
                }

                lock (gate)
                {
                    Console.Out.Write(line);
                    Console.Out.Flush();
                }
            }
        })).ToArray();
        await Task.WhenAny(writers);
        foreach (Task writer in writers)
        {
            if (writer.IsFaulted)
            {
                Console.Error.WriteLine(writer.Exception!.GetBaseException().ToString());
                return 1;
            }
        }

        return 0;
    }
}

/// <summary>The value the store-level writer stores; serialized camelCase as <c>{"v":…,"batch":…,"pad":…}</c>.</summary>
internal sealed record CrashValue(long V, long Batch, string Pad);
