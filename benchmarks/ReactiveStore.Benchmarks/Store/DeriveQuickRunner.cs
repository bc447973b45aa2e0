using System.Diagnostics;
using System.Globalization;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>The <c>derive-quick</c> verb: the derivation chain and diamond through the store and on signals, timed in one
/// run (warm-up, then best and median of 15 samples), with the store/signals ratio. Checks every result.</summary>
public static class DeriveQuickRunner
{
    private const int Operations = 2_000;

    /// <summary>Runs the comparison and prints a Markdown table.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var shapes = new DeriveShapes();
        int next = 0;
        bool ok = true;
        (double Best, double Median) Measure(Func<int, int> step, int expectedOffset)
        {
            for (int warm = 0; warm < 20; warm++)
            {
                for (int i = 0; i < Operations; i++)
                {
                    next++;
                    ok &= step(next) == expectedOffset + (expectedOffset == DeriveShapes.ChainLength ? next : next * DeriveShapes.Arms);
                }
            }

            var samples = new double[15];
            for (int s = 0; s < samples.Length; s++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < Operations; i++)
                {
                    next++;
                    ok &= step(next) == expectedOffset + (expectedOffset == DeriveShapes.ChainLength ? next : next * DeriveShapes.Arms);
                }

                samples[s] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Operations;
            }

            Array.Sort(samples);
            return (samples[0], samples[samples.Length / 2]);
        }

        var signalChain = Measure(shapes.SignalChain, DeriveShapes.ChainLength);
        var storeChain = Measure(shapes.StoreChain, DeriveShapes.ChainLength);
        var signalDiamond = Measure(shapes.SignalDiamond, DeriveShapes.Arms);
        var storeDiamond = Measure(shapes.StoreDiamond, DeriveShapes.Arms);

        Console.WriteLine($"# derive-quick ({DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC), ns per write + read, best and median of 15 samples of {Operations}");
        Console.WriteLine();
        Console.WriteLine("| shape | signals best | signals median | store best | store median | store/signals (best) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("chain of 10", signalChain, storeChain);
        Row("diamond of 5", signalDiamond, storeDiamond);
        if (!ok)
        {
            Console.Error.WriteLine("derive-quick: a shape returned a wrong value");
            return 1;
        }

        return 0;

        static void Row(string name, (double Best, double Median) signals, (double Best, double Median) store) =>
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {signals.Best:F1} | {signals.Median:F1} | {store.Best:F1} | {store.Median:F1} | {store.Best / signals.Best:F1} |"));
    }
}
