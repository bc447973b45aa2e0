using System;
using System.Collections.Generic;
using ReactiveStore.Signals;
using Rx = ReactiveStore.Signals.Signals;

namespace ReactiveStore.Tests.SignalsEngine;

public class BatchRevertAndComparerTests
{
    [Fact]
    public void A_batch_that_writes_a_signal_back_to_its_value_recomputes_nothing_and_runs_no_effect()
    {
        var a = new Signal<int>(1);
        int computedRuns = 0, effectRuns = 0, directEffectRuns = 0;
        var doubled = new Computed<int>(() => { computedRuns++; return a.Value * 2; });
        using var effect = new Effect(() => { _ = doubled.Value; effectRuns++; });
        using var direct = new Effect(() => { _ = a.Value; directEffectRuns++; });
        Assert.Equal((1, 1, 1), (computedRuns, effectRuns, directEffectRuns));

        Rx.Batch(() =>
        {
            a.Value = 2;
            a.Value = 3;
            a.Value = 1;
        });
        Assert.Equal((1, 1, 1), (computedRuns, effectRuns, directEffectRuns));
        Assert.Equal(2, doubled.Value);

        a.Value = 4; // a real change still goes through
        Assert.Equal((2, 2, 2), (computedRuns, effectRuns, directEffectRuns));
        Assert.Equal(8, doubled.Value);
    }

    [Fact]
    public void Batch_revert_leaves_unobserved_computeds_cached_and_honours_the_signal_comparer()
    {
        var name = new Signal<string>("alice", StringComparer.OrdinalIgnoreCase);
        int runs = 0;
        var greeting = new Computed<string>(() => { runs++; return "hi " + name.Value; });
        Assert.Equal("hi alice", greeting.Value);
        Rx.Batch(() =>
        {
            name.Value = "bob";
            name.Value = "ALICE"; // equal to the value before the batch under the comparer
        });
        Assert.Equal("hi alice", greeting.Value);
        Assert.Equal(1, runs);
    }

    [Fact]
    public void A_read_inside_the_batch_makes_the_first_write_visible_so_the_revert_is_a_change()
    {
        var a = new Signal<int>(1);
        var log = new List<int>();
        using var effect = new Effect(() => log.Add(a.Value));
        Rx.Batch(() =>
        {
            a.Value = 2;
            Assert.Equal(2, a.Value);
            a.Value = 1;
        });

        // Whether the effect re-runs here is not promised; what it sees is the value after the batch.
        Assert.Equal(1, log[^1]);
        Assert.Equal(1, a.Peek());
    }

    [Fact]
    public void A_computed_whose_comparer_says_equal_keeps_the_old_object_and_propagates_nothing()
    {
        var source = new Signal<int>(1);
        var comparer = new SameKeyComparer();
        var box = new Computed<Box>(() => new Box(source.Value / 10, source.Value), comparer);
        int downstreamRuns = 0, effectRuns = 0;
        var downstream = new Computed<int>(() => { downstreamRuns++; return box.Value.Raw; });
        var seen = new List<Box>();
        using var effect = new Effect(() => { seen.Add(box.Value); effectRuns++; });
        Box first = box.Value;
        Assert.Equal(1, downstream.Value);

        source.Value = 2; // a new Box with the same key: equal under the comparer
        Assert.Same(first, box.Value);
        Assert.Same(first, box.Peek());
        Assert.Equal(1, downstream.Value); // not re-run: it still sees the old object
        Assert.Equal(1, downstreamRuns);
        Assert.Equal(1, effectRuns);
        Assert.Single(seen);

        source.Value = 25; // a different key: a change
        Assert.NotSame(first, box.Value);
        Assert.Equal(25, box.Value.Raw);
        Assert.Equal(25, downstream.Value);
        Assert.Equal(2, effectRuns);
        Assert.Equal(2, seen.Count);
        Assert.Same(box.Value, seen[^1]);
    }

    [Fact]
    public void An_unobserved_computed_whose_comparer_says_equal_keeps_the_old_object()
    {
        var source = new Signal<int>(1);
        var box = new Computed<Box>(() => new Box(0, source.Value), new SameKeyComparer());
        Box first = box.Value;
        source.Value = 2;
        Assert.Same(first, box.Value);
        Assert.Equal(1, box.Value.Raw);
    }

    private sealed record Box(int Key, int Raw);

    private sealed class SameKeyComparer : IEqualityComparer<Box>
    {
        public bool Equals(Box? x, Box? y) => x?.Key == y?.Key;

        public int GetHashCode(Box obj) => obj.Key;
    }
}
