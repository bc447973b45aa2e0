using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ReactiveStore.Storage;

namespace ReactiveStore.Benchmarks.Storage;

/// <summary>
/// The <c>storage-quick</c> verb: writes and reads per second per driver with a plain <see cref="Stopwatch"/>, time-bounded
/// per case, printed as a Markdown table. Single writes (one key per <see cref="IStateStorage.Write"/>), batched writes
/// (100 keys per call, counted per key), and single-key reads, over 1,000 keys in two folder levels.
/// </summary>
/// <remarks>Smoke-level numbers for comparing drivers on one machine; <see cref="StorageBenchmarks"/> (BenchmarkDotNet) is the reference.
/// The caching driver's writes are timed including a final <see cref="IStateStorage.Flush"/> to the inner driver.</remarks>
public static class StorageQuickRunner
{
    private const int Keys = 1_000;
    private const int BatchSize = 100;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        double seconds = 1.0;
        if (args.Length == 2 && args[0] == "--seconds" && double.TryParse(args[1], CultureInfo.InvariantCulture, out double parsed) && parsed > 0)
        {
            seconds = parsed;
        }
        else if (args.Length != 0)
        {
            Console.Error.WriteLine("storage-quick: usage: storage-quick [--seconds S]   (time per case, default 1)");
            return 2;
        }

        var budget = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"storage-quick — {DateTime.UtcNow:yyyy-MM-dd}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, {seconds.ToString(CultureInfo.InvariantCulture)} s per case");
        Console.WriteLine();
        Console.WriteLine("| driver | durable when Write returns | single writes/s | batched writes/s (100 per call) | reads/s |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (StorageDriver driver in Enum.GetValues<StorageDriver>())
        {
            using var bench = new StorageBench(driver);
            double single = MeasureWrites(bench, 1, budget);
            double batched = MeasureWrites(bench, BatchSize, budget);
            double reads = MeasureReads(bench, budget / 2);
            Console.WriteLine($"| {driver} | {Durability(driver)} | {Format(single)} | {Format(batched)} | {Format(reads)} |");
        }

        return 0;
    }

    private static string Durability(StorageDriver driver) => driver switch
    {
        StorageDriver.InMemory => "never",
        StorageDriver.FileSystemFlushToDisk or StorageDriver.SqliteFull => "power loss",
        StorageDriver.FileSystemNoFlush or StorageDriver.SqliteNormal => "process crash",
        StorageDriver.CachingOverFileSystem => "after Flush() (then power loss)",
        _ => "?",
    };

    private static string Format(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static double MeasureWrites(StorageBench bench, int perCall, TimeSpan budget)
    {
        var batch = new StorageWrite[perCall];
        long version = 0;
        int next = 0;
        long keys = 0;

        // Warm-up: one pass over every key creates the files/rows, so the timed part overwrites.
        for (int i = 0; i < Keys; i += BatchSize)
        {
            var warm = new StorageWrite[BatchSize];
            for (int j = 0; j < BatchSize; j++)
            {
                warm[j] = new StorageWrite(StorageBench.Key(i + j), StorageBench.Entry(1));
            }

            bench.Storage.Write(warm);
        }

        bench.Storage.Flush();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget)
        {
            version++;
            for (int j = 0; j < perCall; j++)
            {
                batch[j] = new StorageWrite(StorageBench.Key(next++ % Keys), StorageBench.Entry(version));
            }

            bench.Storage.Write(batch);
            keys += perCall;
        }

        bench.Storage.Flush();
        return keys / clock.Elapsed.TotalSeconds;
    }

    private static double MeasureReads(StorageBench bench, TimeSpan budget)
    {
        long reads = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget)
        {
            for (int i = 0; i < 64; i++)
            {
                if (!bench.Storage.TryGet(StorageBench.Key((int)(reads % Keys)), out _))
                {
                    throw new InvalidOperationException("A benchmark key is missing.");
                }

                reads++;
            }
        }

        return reads / clock.Elapsed.TotalSeconds;
    }
}
