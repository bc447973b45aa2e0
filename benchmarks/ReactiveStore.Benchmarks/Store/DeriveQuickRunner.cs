using System.Diagnostics;
using System.Globalization;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>The <c>derive-quick</c> verb: the derivation chain and diamond through the store and on signals, timed in one
/// run with the store/signals ratio. Both sides are warmed the same way and sampled interleaved; every result is checked.</summary>
/// <remarks>
/// The signal shapes take about a microsecond per operation, so a warm-up counted in operations ends after a few
/// milliseconds, before tiered JIT has promoted their code (it waits for a quiet period and compiles in the background):
/// an earlier version timed signals half-warm and printed store/signals ratios 3–5 times too small. Here every shape is
/// warmed by time, in interleaved rounds, until two consecutive rounds of every shape agree; then each of the 15 sample
/// rounds times every shape once, in a rotating order, so a burst of load on the shared machine hits both sides alike.
/// </remarks>
public static class DeriveQuickRunner
{
    private const int Operations = 2_000;
    private const int Samples = 15;
    private const int MinWarmupRounds = 5;
    private const int MaxWarmupRounds = 40;
    private static readonly TimeSpan s_warmupSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs the comparison and prints a Markdown table.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var shapes = new DeriveShapes();
        int next = 0;
        bool ok = true;
        Shape[] all =
        [
            new("signals chain", shapes.SignalChain, static v => v + DeriveShapes.ChainLength),
            new("store chain", shapes.StoreChain, static v => v + DeriveShapes.ChainLength),
            new("signals diamond", shapes.SignalDiamond, static v => (v + 1) * DeriveShapes.Arms),
            new("store diamond", shapes.StoreDiamond, static v => (v + 1) * DeriveShapes.Arms),
        ];

        // One pass of a shape: Operations writes of fresh values, each followed by a read of the end, checked.
        double Pass(Shape shape)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Operations; i++)
            {
                next++;
                ok &= shape.Step(next) == shape.Expected(next);
            }

            return Stopwatch.GetElapsedTime(start).TotalNanoseconds / Operations;
        }

        Console.WriteLine(LoadAverage("before"));
        var total = Stopwatch.StartNew();
        var last = new double[all.Length];
        Array.Fill(last, double.MaxValue);
        int rounds = 0;
        bool settled = false;
        while (!settled && rounds < MaxWarmupRounds)
        {
            settled = rounds >= MinWarmupRounds - 1;
            for (int s = 0; s < all.Length; s++)
            {
                long start = Stopwatch.GetTimestamp();
                double best = double.MaxValue;
                while (Stopwatch.GetElapsedTime(start) < s_warmupSlice)
                {
                    best = Math.Min(best, Pass(all[s]));
                }

                settled &= Math.Abs(best - last[s]) <= last[s] * 0.05;
                last[s] = best;
            }

            rounds++;
        }

        var samples = new double[all.Length][];
        for (int s = 0; s < all.Length; s++)
        {
            samples[s] = new double[Samples];
        }

        for (int round = 0; round < Samples; round++)
        {
            for (int k = 0; k < all.Length; k++)
            {
                int s = (round + k) % all.Length;
                samples[s][round] = Pass(all[s]);
            }
        }

        Console.WriteLine(LoadAverage("after"));
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"# derive-quick ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC), ns per write + read, best and median of {Samples} interleaved samples of {Operations}"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Warm-up: {rounds} interleaved rounds of {s_warmupSlice.TotalMilliseconds:F0} ms per shape ({(settled ? "settled within 5%" : "did not settle")}); total {total.Elapsed.TotalSeconds:F1} s."));
        Console.WriteLine();
        Console.WriteLine("| shape | signals best | signals median | store best | store median | store/signals (best) | store/signals (median) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("chain of 10", samples[0], samples[1]);
        Row("diamond of 5", samples[2], samples[3]);
        if (!ok)
        {
            Console.Error.WriteLine("derive-quick: a shape returned a wrong value");
            return 1;
        }

        return 0;

        static void Row(string name, double[] signals, double[] store)
        {
            Array.Sort(signals);
            Array.Sort(store);
            double signalsMedian = signals[signals.Length / 2];
            double storeMedian = store[store.Length / 2];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {signals[0]:F1} | {signalsMedian:F1} | {store[0]:F1} | {storeMedian:F1} | {store[0] / signals[0]:F1} | {storeMedian / signalsMedian:F1} |"));
        }
    }

    /// <summary>The 1/5/15-minute load average (Linux), since other processes on a shared machine skew every number.</summary>
    private static string LoadAverage(string when)
    {
        const string Source = "/proc/loadavg";
        if (!File.Exists(Source))
        {
            return string.Empty;
        }

        string[] fields = File.ReadAllText(Source).Split(' ', 4);
        return fields.Length >= 3 ? $"Load average {when}: {fields[0]} {fields[1]} {fields[2]}." : string.Empty;
    }

    private sealed record Shape(string Name, Func<int, int> Step, Func<int, int> Expected);
}
