using System.Globalization;
using System.Text;
using ReactiveStore;
using ReactiveStore.Storage;

// Usage: ReactiveStore.CrashWriter [store-]<mode> <path> <seed>
// Opens the storage, prints "ready", then writes batches of 1–4 keys forever. After each Write returns (and after
// Flush() for the buffered mode) it prints "ack <key> <version>" for every key of the batch: from that moment the
// write must survive the process being killed. The parent kills it with SIGKILL at a random moment.
// With the "store-" prefix the writes go through a StateStore opened on the driver (Batch of Sets; FlushAsync for the
// buffered mode), and the acknowledged version is the one the store's metadata gave the entry.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ReactiveStore.CrashWriter <fs|fs-nosync|sqlite-full|sqlite-normal|caching-fs> <path> <seed>");
    return 2;
}

bool throughStore = args[0].StartsWith("store-", StringComparison.Ordinal);
string mode = throughStore ? args[0]["store-".Length..] : args[0];
string path = args[1];
var random = new Random(int.Parse(args[2], CultureInfo.InvariantCulture));
string[] keys = ["k0", "k1", "k2", "k3", "k4", "k5", "g", "g.a", "g.b", "g.a.deep", "h.x.y.z", "h.w", "big0", "big1", "n.m0", "n.m1"];

using IStateStorage storage = mode switch
{
    "fs" => new FileSystemStorage(path),
    "fs-nosync" => new FileSystemStorage(path, new FileSystemStorageOptions { FlushToDisk = false }),
    "sqlite-full" => new SqliteStorage(path),
    "sqlite-normal" => new SqliteStorage(path, new SqliteStorageOptions { Synchronous = SqliteSynchronous.Normal }),
    "caching-fs" => new CachingStorage(new FileSystemStorage(path, new FileSystemStorageOptions { FlushToDisk = false }), new CachingOptions()),
    _ => throw new ArgumentException($"Unknown mode '{mode}'.", nameof(args)),
};
bool buffered = mode == "caching-fs";
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
    var writes = new List<StorageWrite>(count);
    for (int i = 0; i < count; i++)
    {
        string key = keys[random.Next(keys.Length)];
        if (writes.Exists(w => w.Key == key))
        {
            continue;
        }

        long version = versions.GetValueOrDefault(key) + 1;
        versions[key] = version;
        int pad = key.StartsWith("big", StringComparison.Ordinal) ? random.Next(20_000, 200_000) : random.Next(0, 2_000);
        string value = string.Create(CultureInfo.InvariantCulture, $$"""{"v":{{version}},"batch":{{batchNumber}},"pad":"{{new string((char)('a' + (version % 26)), pad)}}"}""");
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

/// <summary>The value the store-level writer stores; serialized camelCase as <c>{"v":…,"batch":…,"pad":…}</c>.</summary>
internal sealed record CrashValue(long V, long Batch, string Pad);
