using BenchmarkDotNet.Running;
using ReactiveStore.Benchmarks.Generator;
using ReactiveStore.Benchmarks.SignalShapes;
using ReactiveStore.Benchmarks.Storage;
using ReactiveStore.Benchmarks.Store;

namespace ReactiveStore.Benchmarks;

/// <summary>Entry point: named quick modes, otherwise BenchmarkDotNet.</summary>
public static class Program
{
    /// <summary>Dispatches on the first argument.</summary>
    /// <remarks>
    /// <c>signals-quick</c>: the signal shapes with the BENCHMARKS.md protocol; <c>store-quick</c>: Stopwatch run of the
    /// store cases; <c>generator-quick [nodes]</c>: the [StateNode] generator over N synthetic nodes, with edits; <c>derive-quick</c>: derived paths versus signals; <c>writepath-quick</c>: metadata, hashing and persistence per Set; <c>storage-quick</c>: writes and reads per second per storage driver; <c>pipeline-quick</c>: the commit pipeline's concurrency targets (two stores, signal latency beside a durable store, group commit); <c>store [BenchmarkDotNet args]</c>: the store classes; anything else goes to BenchmarkDotNet as it is.
    /// </remarks>
    public static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : string.Empty)
        {
            case "signals-quick":
                return SignalsQuick.Run(args[1..]);
            case "generator-quick":
                return GeneratorQuick.Run(args[1..]);
            case "store-quick":
                return StoreQuickRunner.Run(args[1..]);
            case "derive-quick":
                return DeriveQuickRunner.Run(args[1..]);
            case "writepath-quick":
                return WritePathQuickRunner.Run(args[1..]);
            case "storage-quick":
                return StorageQuickRunner.Run(args[1..]);
            case "pipeline-quick":
                return PipelineQuickRunner.Run(args[1..]);
            case "store":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(["--filter", "ReactiveStore.Benchmarks.Store.*", .. args[1..]]);
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
