using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>
/// The <c>store-quick</c> verb: the store-level cases of <see cref="SetBenchmarks"/>, <see cref="GetBenchmarks"/> and
/// <see cref="DispatchScalingBenchmarks"/> timed with a plain <see cref="Stopwatch"/> loop (warm-up, then the best and
/// median of N samples), printed as a Markdown table with ratios against the
/// <c>ConcurrentDictionary</c> + delegate baseline measured in the same run. Takes well under a minute.
/// </summary>
/// <remarks>This is a smoke-level measurement for quick comparisons; BenchmarkDotNet (<c>store</c> verb) is the reference.</remarks>
public static class StoreQuickRunner
{
    private static readonly TimeSpan s_warmupRound = TimeSpan.FromMilliseconds(100);
    private static readonly int s_minWarmupRounds = 5;
    private static readonly int s_maxWarmupRounds = 30;
    private static readonly TimeSpan s_sampleTarget = TimeSpan.FromMilliseconds(15);
    private static readonly int[] s_subscriberCounts = [0, 1, 10];

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int samples = 15;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--samples" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int parsed) && parsed > 0)
            {
                samples = parsed;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"store-quick: unknown argument '{args[i]}' (supported: --samples N)");
                return 2;
            }
        }

        var total = Stopwatch.StartNew();
        int ops = SetBenchmarks.Operations;
        Console.WriteLine($"# store-quick ({DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores, "
            + $"Server GC: {System.Runtime.GCSettings.IsServerGC}; best and median of {samples} samples, {ops} operations per invocation");
        Console.WriteLine(LoadAverage("before"));
        Console.WriteLine();
        Console.WriteLine("| case | dispatch | subscribers | best ns/op | median ns/op | bytes/op | ratio (best) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");

        bool ok = true;
        Result? zeroSubscriberBaseline = null;
        Result? oneSubscriberBaseline = null;
        foreach (int subscribers in s_subscriberCounts)
        {
            using var inline = new StoreFixture(DispatchMode.Inline, subscribers);
            using var background = new StoreFixture(DispatchMode.Background, subscribers);
            Result baseline = Measure(() => inline.BaselineSets(ops), samples, AllocationScope.CurrentThread);
            Print("ConcurrentDictionary set + delegates (baseline)", "-", subscribers, baseline, baseline);
            zeroSubscriberBaseline ??= baseline;
            if (subscribers == 1)
            {
                oneSubscriberBaseline = baseline;
            }

            Result inlineSet = Measure(() => inline.StoreSets(ops), samples, AllocationScope.CurrentThread);
            Print("StateStore.Set", "Inline", subscribers, inlineSet, baseline);
            Result backgroundSet = Measure(() => background.StoreSets(ops), samples, AllocationScope.Process);
            Print("StateStore.Set + FlushAsync", "Background", subscribers, backgroundSet, baseline);
            ok &= CheckDelivered(inline) & CheckDelivered(background);
        }

        using (var reads = new StoreFixture(DispatchMode.Inline, subscribers: 0))
        {
            Result baseline = Measure(() => reads.BaselineGets(ops), samples, AllocationScope.CurrentThread);
            Print("ConcurrentDictionary get + unbox (baseline)", "-", 0, baseline, baseline);
            Result get = Measure(() => reads.StoreGets(ops), samples, AllocationScope.CurrentThread);
            Print("StateStore.Get<int>", "-", 0, get, baseline);
        }

        using (var bubbling = new StoreFixture(DispatchMode.Inline, subscribers: 1, subscribedSelector: "bench"))
        {
            Result result = Measure(() => bubbling.StoreSets(ops), samples, AllocationScope.CurrentThread);
            Print("Set bench.counter, subscriber on bench (bubbling)", "Inline", 1, result, oneSubscriberBaseline!);
            ok &= CheckDelivered(bubbling);
        }

        using (var unrelated = new StoreFixture(DispatchMode.Inline, subscribers: 0, nonMatchingSubscriptions: 1, DispatchScalingBenchmarks.WrittenPath))
        {
            Result result = Measure(() => unrelated.StoreSets(ops), samples, AllocationScope.CurrentThread);
            Print("Set, 0 matching + 1 non-matching", "Inline", 0, result, zeroSubscriberBaseline!);
            ok &= CheckDelivered(unrelated);
        }

        var setup = Stopwatch.StartNew();
        using var one = new StoreFixture(DispatchMode.Inline, subscribers: 1, nonMatchingSubscriptions: 1, DispatchScalingBenchmarks.WrittenPath);
        using var many = new StoreFixture(DispatchMode.Inline, subscribers: 1, DispatchScalingBenchmarks.ManyNonMatching, DispatchScalingBenchmarks.WrittenPath);
        setup.Stop();
        Result oneResult = Measure(() => one.StoreSets(ops), samples, AllocationScope.CurrentThread);
        Print("Set, 1 matching + 1 non-matching (scaling baseline)", "Inline", 1, oneResult, oneResult);
        Result manyResult = Measure(() => many.StoreSets(ops), samples, AllocationScope.CurrentThread);
        Print("Set, 1 matching + 100,000 non-matching", "Inline", 1, manyResult, oneResult);
        ok &= CheckDelivered(one) & CheckDelivered(many);

        Console.WriteLine();
        Console.WriteLine($"Ratios are best/best against the baseline with the same subscriber count (0 matching + 1 non-matching: the 0-subscriber baseline; "
            + $"scaling rows: against the 1 non-matching row). "
            + $"Bytes: inline rows count the benchmark thread (GC.GetAllocatedBytesForCurrentThread); background rows count the whole process "
            + $"(GC.GetTotalAllocatedBytes), the dispatcher worker included.");
        Console.WriteLine(LoadAverage("after"));
        Console.WriteLine($"Subscribing 100,001 subscriptions took {setup.Elapsed.TotalMilliseconds:F0} ms. Total run: {total.Elapsed.TotalSeconds:F1} s.");
        return ok ? 0 : 1;
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

    private static bool CheckDelivered(StoreFixture fixture)
    {
        // Every Set must reach every matching subscriber exactly once, and nothing else.
        long expected = fixture.Subscribers * fixture.StoreSetCount;
        if (fixture.Received == expected)
        {
            return true;
        }

        Console.Error.WriteLine($"store-quick: {fixture.Path} with {fixture.Subscribers} subscriber(s): expected {expected} callbacks, got {fixture.Received}");
        return false;
    }

    private static Result Measure(Func<long> invocation, int samples, AllocationScope scope)
    {
        int ops = SetBenchmarks.Operations;

        // Warm up until the time per invocation settles: tiered JIT promotes hot code only after a quiet period
        // without new tier-0 compilations, and on a busy machine its background compiler gets little CPU, so a fixed
        // short warm-up can leave a case half-optimized: warm up at least s_minWarmupRounds rounds and until two
        // consecutive rounds agree within 3%.
        double perInvocation = double.MaxValue;
        for (int round = 0; round < s_maxWarmupRounds; round++)
        {
            long invocations = 0;
            long start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start) < s_warmupRound || invocations < 5)
            {
                invocation();
                invocations++;
            }

            double current = Stopwatch.GetElapsedTime(start).TotalMilliseconds / invocations;
            bool settled = round >= s_minWarmupRounds - 1 && Math.Abs(current - perInvocation) <= perInvocation * 0.03;
            perInvocation = current;
            if (settled)
            {
                break;
            }
        }

        int perSample = (int)Math.Clamp(Math.Ceiling(s_sampleTarget.TotalMilliseconds / perInvocation), 1, 100_000);

        var nsPerOp = new double[samples];
        long bytes = 0;
        for (int s = 0; s < samples; s++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = AllocatedBytes(scope);
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perSample; i++)
            {
                invocation();
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            bytes += AllocatedBytes(scope) - before;
            nsPerOp[s] = elapsed.TotalNanoseconds / ((double)perSample * ops);
        }

        Array.Sort(nsPerOp);
        return new Result(nsPerOp[0], nsPerOp[samples / 2], (double)bytes / ((double)samples * perSample * ops), scope);
    }

    private static long AllocatedBytes(AllocationScope scope) =>
        scope == AllocationScope.CurrentThread ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(precise: true);

    private static void Print(string name, string dispatch, int subscribers, Result result, Result baseline)
    {
        string ratio = ReferenceEquals(result, baseline) ? "1.00" : (result.BestNs / baseline.BestNs).ToString("F2", CultureInfo.InvariantCulture);
        string bytes = result.BytesPerOp.ToString("F1", CultureInfo.InvariantCulture) + (result.Scope == AllocationScope.Process ? " (all threads)" : string.Empty);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {dispatch} | {subscribers} | {result.BestNs:F1} | {result.MedianNs:F1} | {bytes} | {ratio} |"));
    }

    private enum AllocationScope
    {
        CurrentThread,
        Process,
    }

    private sealed record Result(double BestNs, double MedianNs, double BytesPerOp, AllocationScope Scope);
}
