using System;
using ReactiveStore.Signals;

namespace ReactiveStore.Benchmarks.SignalShapes;

/// <summary>
/// One benchmark shape from shared/BENCHMARKS.md. Built once (untimed); <see cref="Iter"/> is what is timed.
/// Every implementation counts computed evaluations and effect runs so tests can assert the exact table.
/// This file is compiled into the benchmarks and linked into the tests.
/// </summary>
internal abstract class SignalShape : IDisposable
{
    public int ComputedEvaluations;
    public int EffectRuns;

    public abstract string Name { get; }

    public abstract void Iter();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    protected static void Check(bool condition, string shape, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(shape + ": assertion failed: " + what);
        }
    }

    /// <summary>Every write in the shapes is in its own batch (as in the JS suite).</summary>
    protected static void Write(Signal<int> signal, int value) =>
        ReactiveStore.Signals.Signals.Batch((signal, value), static s => s.signal.Value = s.value);
}

/// <summary>The kairo shapes and cellx, by name, for the engine and for the hand-written floor.</summary>
internal static class ShapeCatalog
{
    public static readonly string[] KairoNames =
    [
        "avoidablePropagation", "broadPropagation", "deepPropagation", "diamond",
        "mux", "repeatedObservers", "triangle", "unstable",
    ];

    public static SignalShape CreateEngine(string name) => name switch
    {
        "avoidablePropagation" => new AvoidablePropagationShape(),
        "broadPropagation" => new BroadPropagationShape(),
        "deepPropagation" => new DeepPropagationShape(),
        "diamond" => new DiamondShape(),
        "mux" => new MuxShape(),
        "repeatedObservers" => new RepeatedObserversShape(),
        "triangle" => new TriangleShape(),
        "unstable" => new UnstableShape(),
        _ => throw new ArgumentException("Unknown shape " + name, nameof(name)),
    };

    public static SignalShape CreateFloor(string name) => name switch
    {
        "avoidablePropagation" => new FloorAvoidablePropagation(),
        "broadPropagation" => new FloorBroadPropagation(),
        "deepPropagation" => new FloorDeepPropagation(),
        "diamond" => new FloorDiamond(),
        "mux" => new FloorMux(),
        "repeatedObservers" => new FloorRepeatedObservers(),
        "triangle" => new FloorTriangle(),
        "unstable" => new FloorUnstable(),
        _ => throw new ArgumentException("Unknown shape " + name, nameof(name)),
    };
}
