using BenchmarkDotNet.Attributes;
using ReactiveStore.Benchmarks.SignalShapes;

namespace ReactiveStore.Benchmarks.SignalBenchmarks;

/// <summary>One kairo <c>iter()</c> per invocation: the engine versus the hand-written floor.</summary>
[MemoryDiagnoser]
public class KairoBenchmarks
{
    private SignalShape _engine = null!;
    private SignalShape _floor = null!;

    /// <summary>The shape from shared/BENCHMARKS.md.</summary>
    [Params("avoidablePropagation", "broadPropagation", "deepPropagation", "diamond", "mux", "repeatedObservers", "triangle", "unstable")]
    public string Shape { get; set; } = "deepPropagation";

    /// <summary>Builds both graphs (untimed) and runs one iteration to reach the steady state.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _engine = ShapeCatalog.CreateEngine(Shape);
        _floor = ShapeCatalog.CreateFloor(Shape);
        _engine.Iter();
        _floor.Iter();
    }

    /// <summary>Disposes the engine graph's effects.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _floor.Dispose();
    }

    /// <summary>ReactiveStore.Signals.</summary>
    [Benchmark]
    public void Engine() => _engine.Iter();

    /// <summary>Plain fields and direct calls.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => _floor.Iter();
}
