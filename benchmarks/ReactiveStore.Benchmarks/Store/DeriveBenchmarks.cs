using BenchmarkDotNet.Attributes;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>Path derivations through the store versus the same shapes on signals (BENCHMARKS.md, store level).</summary>
[MemoryDiagnoser]
public class DeriveBenchmarks
{
    private DeriveShapes _shapes = null!;
    private int _next;

    /// <summary>Builds the shapes.</summary>
    [GlobalSetup]
    public void Setup() => _shapes = new DeriveShapes();

    /// <summary>Tears the shapes down.</summary>
    [GlobalCleanup]
    public void Cleanup() => _shapes.Dispose();

    /// <summary>Chain of 10 on signals.</summary>
    [Benchmark(Baseline = true)]
    public int SignalChain() => _shapes.SignalChain(++_next);

    /// <summary>Chain of 10 derived paths.</summary>
    [Benchmark]
    public int StoreChain() => _shapes.StoreChain(++_next);

    /// <summary>Diamond of 5 arms on signals.</summary>
    [Benchmark]
    public int SignalDiamond() => _shapes.SignalDiamond(++_next);

    /// <summary>Diamond of 5 derived paths and a DeriveMany sum.</summary>
    [Benchmark]
    public int StoreDiamond() => _shapes.StoreDiamond(++_next);
}
