using BenchmarkDotNet.Attributes;
using ReactiveStore.Benchmarks.SignalShapes;

namespace ReactiveStore.Benchmarks.SignalBenchmarks;

/// <summary>One cellx update pass (read ends, batch-write the 4 sources, read ends) on a built graph.</summary>
/// <remarks>Passes alternate between (4,3,2,1) and (1,2,3,4) so every pass changes every layer.</remarks>
[MemoryDiagnoser]
public class CellxBenchmarks
{
    private CellxShape _engine = null!;
    private FloorCellx _floor = null!;
    private bool _flip;

    /// <summary>Number of layers.</summary>
    [Params(1000, 2500)]
    public int Layers { get; set; } = 1000;

    /// <summary>Builds both graphs (untimed).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _engine = new CellxShape(Layers);
        _floor = new FloorCellx(Layers);
    }

    /// <summary>Disposes the engine graph's effects.</summary>
    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    /// <summary>ReactiveStore.Signals.</summary>
    [Benchmark]
    public int Engine()
    {
        _flip = !_flip;
        return _flip ? _engine.Pass(4, 3, 2, 1).After[0] : _engine.Pass(1, 2, 3, 4).After[0];
    }

    /// <summary>Plain arrays recomputed layer by layer.</summary>
    [Benchmark(Baseline = true)]
    public int Floor()
    {
        _flip = !_flip;
        return _flip ? _floor.Pass(4, 3, 2, 1).After[0] : _floor.Pass(1, 2, 3, 4).After[0];
    }
}
