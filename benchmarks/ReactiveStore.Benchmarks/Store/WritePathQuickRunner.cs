using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ReactiveStore.Storage;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>The <c>writepath-quick</c> verb: what metadata, revision history, hashing and persistence cost per <c>Set</c>,
/// against a plain in-memory set and a <c>ConcurrentDictionary</c> baseline, all in one run.</summary>
public static class WritePathQuickRunner
{
    private const int Operations = 2_000;

    /// <summary>Runs the cases and prints a Markdown table.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.WriteLine($"# writepath-quick ({DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC), one int Set per op, no subscribers, best and median of 15 samples of {Operations}");
        Console.WriteLine();
        Console.WriteLine("| case | best ns/op | median ns/op | bytes/op | ratio to plain Set |");
        Console.WriteLine("|---|---:|---:|---:|---:|");

        var dictionary = new ConcurrentDictionary<string, object>();
        int counter = 0;
        var baseline = Measure(() => dictionary["bench.value"] = ++counter);
        using var plain = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, HashingService = null, MaxRevisions = 0 });
        var plainSet = Measure(() => plain.Set("bench.value", ++counter));
        using var revisions = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, HashingService = null });
        var revisionSet = Measure(() => revisions.Set("bench.value", ++counter));
        using var hashingOnly = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, MaxRevisions = 0 });
        var hashSet = Measure(() => hashingOnly.Set("bench.value", ++counter));
        using var defaults = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline });
        var defaultSet = Measure(() => defaults.Set("bench.value", ++counter));
        using var persisted = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new InMemoryStorage() });
        var persistedSet = Measure(() => persisted.Set("bench.value", ++counter));

        Row("ConcurrentDictionary set (baseline)", baseline, plainSet);
        Row("Set: no hashing, no revision history (plain)", plainSet, plainSet);
        Row("Set: revision history of 16, no hashing", revisionSet, plainSet);
        Row("Set: SHA-256 hashing, no revision history", hashSet, plainSet);
        Row("Set: defaults (SHA-256 + 16 revisions)", defaultSet, plainSet);
        Row("Set: defaults + InMemoryStorage driver", persistedSet, plainSet);
        return 0;
    }

    private static (double Best, double Median, double Bytes) Measure(Action step)
    {
        for (int warm = 0; warm < 50; warm++)
        {
            for (int i = 0; i < Operations; i++)
            {
                step();
            }
        }

        var samples = new double[15];
        long bytes = 0;
        for (int s = 0; s < samples.Length; s++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Operations; i++)
            {
                step();
            }

            samples[s] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Operations;
            bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        }

        Array.Sort(samples);
        return (samples[0], samples[samples.Length / 2], (double)bytes / Operations);
    }

    private static void Row(string name, (double Best, double Median, double Bytes) result, (double Best, double Median, double Bytes) plain) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {result.Best:F1} | {result.Median:F1} | {result.Bytes:F0} | {result.Best / plain.Best:F2} |"));
}
