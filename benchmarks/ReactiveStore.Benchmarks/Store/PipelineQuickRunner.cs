using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ReactiveStore.Signals;
using ReactiveStore.Storage;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>
/// The <c>pipeline-quick</c> verb: the commit pipeline's targets (issue 10), each as a ratio measured in the same run.
/// <list type="number">
/// <item>Two in-memory stores written from two threads versus one store from one thread (writes per second).</item>
/// <item>An unrelated signal write's latency (p50/p99/max) while another store commits to SQLite (Full) on another thread,
/// versus the same signal writes on an idle process.</item>
/// <item>16 concurrent <c>SetAsync</c> writers on SQLite (Full) versus one synchronous writer (durable writes per second).</item>
/// </list>
/// </summary>
/// <remarks>Stopwatch loops, several rounds interleaved; the machine is shared, so the load average is printed too.</remarks>
public static class PipelineQuickRunner
{
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int rounds = 3;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int parsed) && parsed > 0)
            {
                rounds = parsed;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"pipeline-quick: unknown argument '{args[i]}' (supported: --rounds N)");
                return 2;
            }
        }

        Console.WriteLine($"# pipeline-quick ({DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores; {rounds} interleaved rounds");
        Console.WriteLine(LoadAverage("before"));
        Console.WriteLine();

        string directory = Path.Combine(Path.GetTempPath(), "rs-pipeline-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var scaling = new List<(double One, double Two)>();
            var latency = new List<(Percentiles Idle, Percentiles Busy)>();
            var group = new List<(double Sync, double Async)>();
            for (int round = 0; round < rounds; round++)
            {
                scaling.Add(StoreScaling(TimeSpan.FromSeconds(1)));
                latency.Add(SignalLatency(directory, round, writes: 4_000));
                group.Add(GroupCommit(directory, round, TimeSpan.FromSeconds(2)));
            }

            Console.WriteLine("| measurement | value | ratio | target |");
            Console.WriteLine("|---|---:|---:|---|");
            foreach ((double one, double two) in scaling)
            {
                Console.WriteLine($"| 1 store, 1 thread / 2 stores, 2 threads (writes/s) | {one:N0} / {two:N0} | {two / one:F2} | ≥ 1.5 |");
            }

            foreach ((Percentiles idle, Percentiles busy) in latency)
            {
                Console.WriteLine($"| signal write p50 / p99 / max, idle (µs) | {idle.P50:F1} / {idle.P99:F1} / {idle.Max:F1} | | |");
                Console.WriteLine($"| signal write p50 / p99 / max, while a store commits to SQLite Full (µs) | {busy.P50:F1} / {busy.P99:F1} / {busy.Max:F1} | {busy.P99 / Math.Max(idle.P99, 0.001):F1} (p99) | p99 ≤ 1,000 µs |");
            }

            foreach ((double sync, double async) in group)
            {
                Console.WriteLine($"| SQLite Full: 1 sync writer / 16 SetAsync writers (durable writes/s) | {sync:N0} / {async:N0} | {async / sync:F1} | ≥ 5 |");
            }

            Console.WriteLine();
            Console.WriteLine(LoadAverage("after"));
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Writes per second: one in-memory store from one thread, then two stores from two threads.</summary>
    private static (double One, double Two) StoreScaling(TimeSpan duration)
    {
        double one = Throughput(1, duration);
        double two = Throughput(2, duration);
        return (one, two);

        static double Throughput(int threads, TimeSpan duration)
        {
            var stores = Enumerable.Range(0, threads).Select(_ => new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline })).ToArray();
            var counts = new long[threads];
            using var start = new Barrier(threads + 1);
            var workers = new Thread[threads];
            var stop = 0;
            for (int t = 0; t < threads; t++)
            {
                int index = t;
                workers[t] = new Thread(() =>
                {
                    StateStore store = stores[index];
                    var path = StatePath.Parse("bench.counter");
                    start.SignalAndWait();
                    long n = 0;
                    while (Volatile.Read(ref stop) == 0)
                    {
                        for (int i = 0; i < 256; i++)
                        {
                            store.Set(path, (int)++n);
                        }
                    }

                    counts[index] = n;
                });
                workers[t].Start();
            }

            // Warm up briefly, then measure.
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            Thread.Sleep(duration);
            Volatile.Write(ref stop, 1);
            foreach (Thread worker in workers)
            {
                worker.Join();
            }

            double seconds = clock.Elapsed.TotalSeconds;
            foreach (StateStore store in stores)
            {
                store.Dispose();
            }

            return counts.Sum() / seconds;
        }
    }

    /// <summary>Latency of a signal write (with one effect) on an idle process, then while another thread commits to SQLite.</summary>
    private static (Percentiles Idle, Percentiles Busy) SignalLatency(string directory, int round, int writes)
    {
        var signal = new Signal<int>(0);
        int seen = 0;
        using var effect = new Effect(() => seen = signal.Value);
        Percentiles idle = MeasureSignal(signal, writes);

        using var store = new StateStore(new StateStoreOptions
        {
            DispatchMode = DispatchMode.Inline,
            Storage = new SqliteStorage(Path.Combine(directory, $"latency{round}.db"), new SqliteStorageOptions { Synchronous = SqliteSynchronous.Full }),
        });
        var stop = 0;
        var writer = new Thread(() =>
        {
            for (int i = 0; Volatile.Read(ref stop) == 0; i++)
            {
                store.Set("busy.counter", i);
            }
        });
        writer.Start();
        Thread.Sleep(100);
        Percentiles busy = MeasureSignal(signal, writes);
        Volatile.Write(ref stop, 1);
        writer.Join();
        GC.KeepAlive(seen);
        return (idle, busy);
    }

    private static Percentiles MeasureSignal(Signal<int> signal, int writes)
    {
        var samples = new double[writes];
        double tickToMicroseconds = 1_000_000.0 / Stopwatch.Frequency;
        for (int i = 0; i < writes; i++)
        {
            long start = Stopwatch.GetTimestamp();
            signal.Value = signal.Peek() + 1;
            samples[i] = (Stopwatch.GetTimestamp() - start) * tickToMicroseconds;
            if ((i & 63) == 0)
            {
                Thread.Sleep(0); // spread the samples over the writer's commits
            }
        }

        Array.Sort(samples);
        return new Percentiles(samples[writes / 2], samples[(int)(writes * 0.99)], samples[^1]);
    }

    /// <summary>Durable writes per second on SQLite (Full): one synchronous writer, then 16 concurrent SetAsync writers.</summary>
    private static (double Sync, double Async) GroupCommit(string directory, int round, TimeSpan duration)
    {
        double sync;
        using (var store = new StateStore(new StateStoreOptions { Storage = new SqliteStorage(Path.Combine(directory, $"sync{round}.db")) }))
        {
            var clock = Stopwatch.StartNew();
            long n = 0;
            while (clock.Elapsed < duration)
            {
                store.Set($"k{n % 1000}", n);
                n++;
            }

            sync = n / clock.Elapsed.TotalSeconds;
        }

        double async;
        using (var store = new StateStore(new StateStoreOptions { Storage = new SqliteStorage(Path.Combine(directory, $"async{round}.db")) }))
        {
            long total = 0;
            var clock = Stopwatch.StartNew();
            Task[] writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                long n = 0;
                while (clock.Elapsed < duration)
                {
                    await store.SetAsync($"w{w}.k{n % 100}", n);
                    n++;
                }

                Interlocked.Add(ref total, n);
            })).ToArray();
            Task.WaitAll(writers);
            async = total / clock.Elapsed.TotalSeconds;
        }

        return (sync, async);
    }

    private static string LoadAverage(string when)
    {
        const string Source = "/proc/loadavg";
        if (!File.Exists(Source))
        {
            return string.Empty;
        }

        string[] fields = File.ReadAllText(Source).Split(' ');
        return $"Load average {when}: {fields[0]} {fields[1]} {fields[2]}.";
    }

    private readonly record struct Percentiles(double P50, double P99, double Max);
}
