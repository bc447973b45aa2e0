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
        (string Name, StateStore? Store)[] cases =
        [
            ("ConcurrentDictionary set (baseline)", null),
            ("Set: no hashing, no revision history (plain)", new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, HashingService = null, MaxRevisions = 0 })),
            ("Set: revision history of 16, no hashing", new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, HashingService = null })),
            ("Set: SHA-256 hashing, no revision history", new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, MaxRevisions = 0 })),
            ("Set: defaults (SHA-256 + 16 revisions)", new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline })),
            ("Set: defaults + InMemoryStorage driver", new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline, Storage = new InMemoryStorage() })),
        ];

        // Three interleaved rounds, best of each case: a burst of outside load hits every case alike.
        var results = new (double Best, double Median, double Bytes)[cases.Length];
        for (int round = 0; round < 3; round++)
        {
            for (int c = 0; c < cases.Length; c++)
            {
                StateStore? store = cases[c].Store;
                var result = store is null ? Measure(dictionary) : Measure(store);
                if (round == 0 || result.Best < results[c].Best)
                {
                    results[c] = result;
                }
            }
        }

        for (int c = 0; c < cases.Length; c++)
        {
            Row(cases[c].Name, results[c], results[1]);
            cases[c].Store?.Dispose();
        }

        return 0;
    }

    private static (double Best, double Median, double Bytes) Measure(StateStore store)
    {
        int counter = 0;
        return Measure(() =>
        {
            for (int i = 0; i < Operations; i++)
            {
                store.Set("bench.value", ++counter);
            }
        });
    }

    private static (double Best, double Median, double Bytes) Measure(ConcurrentDictionary<string, object> dictionary)
    {
        int counter = 0;
        return Measure(() =>
        {
            for (int i = 0; i < Operations; i++)
            {
                dictionary["bench.value"] = ++counter;
            }
        });
    }

    private static (double Best, double Median, double Bytes) Measure(Action batchOfOperations)
    {
        for (int warm = 0; warm < 50; warm++)
        {
            batchOfOperations();
        }

        var samples = new double[15];
        long bytes = 0;
        for (int s = 0; s < samples.Length; s++)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            batchOfOperations();
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
