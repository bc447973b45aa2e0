using System;
using System.Threading;
using ReactiveStore.Benchmarks.SignalShapes;

namespace ReactiveStore.Tests.SignalsEngine;

public class ShapeTests
{
    [Theory]
    [InlineData("avoidablePropagation", 2002, 0)]
    [InlineData("broadPropagation", 5100, 2550)]
    [InlineData("deepPropagation", 2550, 51)]
    [InlineData("diamond", 3006, 501)]
    [InlineData("mux", 1836, 18)]
    [InlineData("repeatedObservers", 101, 101)]
    [InlineData("triangle", 1010, 101)]
    [InlineData("unstable", 202, 101)]
    public void Kairo_shape_values_and_exact_evaluation_counts(string name, int computedEvaluations, int effectRuns)
    {
        using SignalShape shape = ShapeCatalog.CreateEngine(name);
        shape.Iter(); // the first iter() leaves the graph in its steady state
        for (int round = 0; round < 3; round++)
        {
            int computed = shape.ComputedEvaluations;
            int effects = shape.EffectRuns;
            shape.Iter();
            Assert.Equal(computedEvaluations, shape.ComputedEvaluations - computed);
            Assert.Equal(effectRuns, shape.EffectRuns - effects);
        }
    }

    [Theory]
    [InlineData("avoidablePropagation", 2002, 0)]
    [InlineData("broadPropagation", 5100, 2550)]
    [InlineData("deepPropagation", 2550, 51)]
    [InlineData("diamond", 3006, 501)]
    [InlineData("mux", 1836, 18)]
    [InlineData("repeatedObservers", 101, 101)]
    [InlineData("triangle", 1010, 101)]
    [InlineData("unstable", 202, 101)]
    public void Floor_shapes_do_the_same_work(string name, int computedEvaluations, int effectRuns)
    {
        using SignalShape shape = ShapeCatalog.CreateFloor(name);
        shape.Iter();
        int computed = shape.ComputedEvaluations;
        int effects = shape.EffectRuns;
        shape.Iter();
        Assert.Equal(computedEvaluations, shape.ComputedEvaluations - computed);
        Assert.Equal(effectRuns, shape.EffectRuns - effects);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(2500)]
    public void Cellx_expected_values(int layers)
    {
        using var cellx = new CellxShape(layers);
        (int[] before, int[] after) = cellx.Pass(4, 3, 2, 1);
        Assert.Equal([-3, -6, -2, 2], before);
        Assert.Equal([-2, -4, 2, 3], after);

        (int[] before2, int[] after2) = cellx.Pass(1, 2, 3, 4);
        Assert.Equal([-2, -4, 2, 3], before2);
        Assert.Equal([-3, -6, -2, 2], after2);

        var floor = new FloorCellx(layers);
        (int[] floorBefore, int[] floorAfter) = floor.Pass(4, 3, 2, 1);
        Assert.Equal(before, floorBefore);
        Assert.Equal(after, floorAfter);
    }

    [Fact]
    public void Cellx_5000_layers_on_a_1MB_stack()
    {
        Exception? failure = null;
        int[]? before = null, after = null, lazyAfter = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    using var cellx = new CellxShape(5000);
                    (before, after) = cellx.Pass(4, 3, 2, 1);

                    // Without effects nothing is evaluated until the ends are read: a 5,000-layer first evaluation.
                    using var lazy = new CellxShape(5000, withEffects: false);
                    (_, lazyAfter) = lazy.Pass(4, 3, 2, 1);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);

        // The end values depend on the depth; the hand-written floor is the oracle here.
        (int[] floorBefore, int[] floorAfter) = new FloorCellx(5000).Pass(4, 3, 2, 1);
        Assert.Equal(floorBefore, before!);
        Assert.Equal(floorAfter, after!);
        Assert.Equal(floorAfter, lazyAfter!);
    }
}
