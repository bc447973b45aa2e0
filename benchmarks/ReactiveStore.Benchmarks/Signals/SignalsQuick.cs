using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ReactiveStore.Benchmarks.SignalShapes;

/// <summary>
/// The scripted timing protocol of shared/BENCHMARKS.md. kairo: fresh graph, warm-up, fastest and median
/// of 10 samples of 500 iter(). cellx: 10 fresh graphs, one update pass each, summed.
/// Usage: <c>signals-quick [--json] [--impl engine|floor|all] [--shape NAME] [--samples N] [--iters N]</c>.
/// </summary>
internal static class SignalsQuick
{
    private const int Samples = 10;
    private const int ItersPerSample = 500;

    public static int Run(string[] args)
    {
        bool json = Array.IndexOf(args, "--json") >= 0;
        string impl = Option(args, "--impl") ?? "all";
        int samples = int.Parse(Option(args, "--samples") ?? Samples.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int iters = int.Parse(Option(args, "--iters") ?? ItersPerSample.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        string? only = Option(args, "--shape");
        var results = new List<Result>();
        foreach (string implementation in impl == "all" ? new[] { "engine", "floor" } : new[] { impl })
        {
            string label = implementation == "engine" ? "csharp" : "csharp-floor";
            foreach (string name in ShapeCatalog.KairoNames)
            {
                if (only is not null && only != name)
                {
                    continue;
                }

                (double min, double median) = TimeKairo(name, implementation, samples, iters);
                results.Add(new Result(label, name, min, median));
            }

            foreach (int layers in new[] { 1000, 2500 })
            {
                if (only is not null && only != "cellx" + layers.ToString(CultureInfo.InvariantCulture))
                {
                    continue;
                }

                double sum = TimeCellx(layers, implementation, samples);
                results.Add(new Result(label, "cellx" + layers.ToString(CultureInfo.InvariantCulture), sum, sum));
            }
        }

        Console.WriteLine(json ? ToJson(results) : ToTable(results));
        return 0;
    }

    private static (double Min, double Median) TimeKairo(string name, string implementation, int samples, int iters)
    {
        using SignalShape shape = implementation == "engine" ? ShapeCatalog.CreateEngine(name) : ShapeCatalog.CreateFloor(name);
        var warmup = Stopwatch.StartNew();
        int warmIters = 0;
        while (warmIters < 2 * iters || warmup.ElapsedMilliseconds < 200)
        {
            shape.Iter();
            warmIters++;
        }

        var times = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < iters; i++)
            {
                shape.Iter();
            }

            times[s] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[0], times[samples / 2]);
    }

    private static double TimeCellx(int layers, string implementation, int graphs)
    {
        int[] expectedBefore = [-3, -6, -2, 2];
        int[] expectedAfter = [-2, -4, 2, 3];
        double total = 0;
        for (int g = -1; g < graphs; g++) // graph -1 warms the JIT and is not counted
        {
            (int[] before, int[] after) result;
            long start;
            if (implementation == "engine")
            {
                using var cellx = new CellxShape(layers);
                start = Stopwatch.GetTimestamp();
                result = cellx.Pass(4, 3, 2, 1);
            }
            else
            {
                var floor = new FloorCellx(layers);
                start = Stopwatch.GetTimestamp();
                result = floor.Pass(4, 3, 2, 1);
            }

            double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!result.before.AsSpan().SequenceEqual(expectedBefore) || !result.after.AsSpan().SequenceEqual(expectedAfter))
            {
                throw new InvalidOperationException("cellx" + layers.ToString(CultureInfo.InvariantCulture) + ": wrong end values");
            }

            if (g >= 0)
            {
                total += elapsed;
            }
        }

        return total;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string ToJson(List<Result> results)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < results.Count; i++)
        {
            Result r = results[i];
            sb.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}\n  {{\"impl\":\"{r.Impl}\",\"shape\":\"{r.Shape}\",\"min\":{r.Min:F3},\"median\":{r.Median:F3}}}");
        }

        return sb.Append("\n]").ToString();
    }

    private static string ToTable(List<Result> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"impl",-14} {"shape",-22} {"min ms",10} {"median ms",10}");
        foreach (Result r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Impl,-14} {r.Shape,-22} {r.Min,10:F3} {r.Median,10:F3}");
        }

        return sb.ToString();
    }

    private readonly record struct Result(string Impl, string Shape, double Min, double Median);
}
