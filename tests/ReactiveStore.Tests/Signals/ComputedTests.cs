using System;
using System.Collections.Generic;
using ReactiveStore.Signals;
using Rx = ReactiveStore.Signals.Signals;

namespace ReactiveStore.Tests.SignalsEngine;

public class ComputedTests
{
    [Fact]
    public void Signal_reads_writes_and_ignores_equal_writes()
    {
        var s = new Signal<int>(1);
        int runs = 0;
        using var e = new Effect(() => { _ = s.Value; runs++; });
        s.Value = 1;
        Assert.Equal(1, runs);
        s.Value = 2;
        Assert.Equal(2, runs);
        Assert.Equal(2, s.Peek());
    }

    [Fact]
    public void Custom_comparers_cut_off_signals_and_computeds()
    {
        var s = new Signal<string>("a", StringComparer.OrdinalIgnoreCase);
        var upperRuns = 0;
        var c = new Computed<string>(() => { upperRuns++; return s.Value + "!"; }, StringComparer.OrdinalIgnoreCase);
        var downstream = 0;
        var d = new Computed<int>(() => { downstream++; return c.Value.Length; });
        Assert.Equal(2, d.Value);
        s.Value = "A"; // equal under the signal's comparer: nothing happens
        Assert.Equal(2, d.Value);
        Assert.Equal(1, upperRuns);

        var t = new Signal<int>(1);
        var parity = new Computed<int>(() => t.Value, new ParityComparer());
        var after = 0;
        var e = new Computed<int>(() => { after++; return parity.Value * 10; });
        Assert.Equal(10, e.Value);
        t.Value = 3; // parity recomputes to an "equal" value: e is not re-run
        Assert.Equal(10, e.Value);
        Assert.Equal(1, after);
        t.Value = 4;
        Assert.Equal(40, e.Value);
        Assert.Equal(2, after);
    }

    [Fact]
    public void Unobserved_computed_is_lazy_and_revalidates_on_read()
    {
        var s = new Signal<int>(1);
        int runs = 0;
        var c = new Computed<int>(() => { runs++; return s.Value * 2; });
        Assert.Equal(0, runs);
        s.Value = 2;
        Assert.Equal(0, runs);
        Assert.Equal(4, c.Value);
        Assert.Equal(1, runs);
        Assert.Equal(4, c.Value);
        Assert.Equal(1, runs); // cached
        s.Value = 3;
        s.Value = 4;
        Assert.Equal(1, runs); // still lazy
        Assert.Equal(8, c.Peek());
        Assert.Equal(2, runs); // once for two writes
    }

    [Fact]
    public void Glitch_free_diamond_evaluates_each_node_once_and_never_sees_mixed_inputs()
    {
        var a = new Signal<int>(1);
        int bRuns = 0, cRuns = 0, dRuns = 0;
        var b = new Computed<int>(() => { bRuns++; return a.Value * 2; });
        var c = new Computed<int>(() => { cRuns++; return a.Value * 3; });
        var seen = new List<(int, int)>();
        var d = new Computed<int>(() =>
        {
            dRuns++;
            int bv = b.Value, cv = c.Value;
            seen.Add((bv, cv));
            return bv + cv;
        });
        var effectSaw = new List<int>();
        using var e = new Effect(() => effectSaw.Add(d.Value));
        for (int i = 2; i <= 10; i++)
        {
            a.Value = i;
        }

        Assert.Equal(10, bRuns);
        Assert.Equal(10, cRuns);
        Assert.Equal(10, dRuns);
        foreach ((int bv, int cv) in seen)
        {
            Assert.Equal(bv / 2, cv / 3);
        }

        Assert.Equal([5, 10, 15, 20, 25, 30, 35, 40, 45, 50], effectSaw);
    }

    [Fact]
    public void Computed_runs_only_when_an_input_actually_changed()
    {
        var a = new Signal<int>(1);
        var b = new Signal<int>(100);
        var isOdd = new Computed<bool>(() => a.Value % 2 == 1);
        int runs = 0;
        var label = new Computed<string>(() => { runs++; return isOdd.Value ? "odd" : "even"; });
        using var e = new Effect(() => _ = label.Value);
        Assert.Equal(1, runs);
        a.Value = 3; // isOdd unchanged
        b.Value = 5; // unrelated
        Assert.Equal(1, runs);
        a.Value = 4;
        Assert.Equal(2, runs);
        Assert.Equal("even", label.Value);
    }

    [Fact]
    public void Dynamic_dependencies_are_recollected_on_every_run()
    {
        var useLeft = new Signal<bool>(true);
        var left = new Signal<int>(1);
        var right = new Signal<int>(2);
        int runs = 0;
        var pick = new Computed<int>(() => { runs++; return useLeft.Value ? left.Value : right.Value; });
        using var e = new Effect(() => _ = pick.Value);
        Assert.Equal(1, runs);
        right.Value = 20; // not a dependency yet
        Assert.Equal(1, runs);
        Assert.Equal(0, GraphInspection.SubscriberCount(right));
        useLeft.Value = false;
        Assert.Equal(2, runs);
        Assert.Equal(20, pick.Value);
        left.Value = 10; // no longer a dependency
        Assert.Equal(2, runs);
        Assert.Equal(0, GraphInspection.SubscriberCount(left));
        Assert.Equal(1, GraphInspection.SubscriberCount(right));
    }

    [Fact]
    public void Duplicate_reads_make_one_edge_even_around_nested_evaluations()
    {
        var s = new Signal<int>(1);
        var inner = new Computed<int>(() => s.Value + 1);
        var outer = new Computed<int>(() => s.Value + inner.Value + s.Value + inner.Value + s.Value);
        using var e = new Effect(() => _ = outer.Value);
        Assert.Equal(7, outer.Value);
        Assert.Equal(2, GraphInspection.DependencyCount(outer));
        Assert.Equal(2, GraphInspection.SubscriberCount(s)); // inner and outer
        for (int i = 0; i < 5; i++)
        {
            s.Value = i + 10;
            Assert.Equal(2, GraphInspection.DependencyCount(outer));
            Assert.Equal(2, GraphInspection.SubscriberCount(s));
        }

        // Reordered reads (inner first) keep one edge per source too.
        var flip = new Signal<bool>(false);
        var reorder = new Computed<int>(() => flip.Value ? inner.Value + s.Value + inner.Value : s.Value + inner.Value + s.Value);
        using var e2 = new Effect(() => _ = reorder.Value);
        flip.Value = true;
        Assert.Equal(3, GraphInspection.DependencyCount(reorder));
        flip.Value = false;
        Assert.Equal(3, GraphInspection.DependencyCount(reorder));
    }

    [Fact]
    public void Exceptions_are_cached_and_rethrown_until_an_input_changes()
    {
        var s = new Signal<int>(0);
        int runs = 0;
        var c = new Computed<int>(() =>
        {
            runs++;
            return s.Value == 0 ? throw new InvalidOperationException("zero") : 10 / s.Value;
        });
        var d = new Computed<int>(() => c.Value + 1);
        Assert.Equal("zero", Assert.Throws<InvalidOperationException>(() => c.Value).Message);
        Assert.Throws<InvalidOperationException>(() => c.Value);
        Assert.Throws<InvalidOperationException>(() => d.Value);
        Assert.Throws<InvalidOperationException>(() => c.Peek());
        Assert.Equal(1, runs);
        s.Value = 2;
        Assert.Equal(6, d.Value);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Cycle_throws_naming_the_chain_and_the_graph_stays_usable()
    {
        var closed = new Signal<bool>(false);
        var price = new Signal<int>(100);
        Computed<int>? discount = null;
        var total = new Computed<int>(() => closed.Value ? price.Value - discount!.Value : price.Value) { Name = "Total" };
        discount = new Computed<int>(() => total.Value / 10) { Name = "Discount" };

        Assert.Equal(100, total.Value);
        Assert.Equal(10, discount.Value);

        closed.Value = true;
        var ex = Assert.Throws<CyclicDerivationException>(() => total.Value);
        Assert.Equal(["Total", "Discount", "Total"], ex.Cycle);
        Assert.Contains("Total \u2192 Discount \u2192 Total", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<InvalidOperationException>(ex);

        closed.Value = false;
        Assert.Equal(100, total.Value);
        price.Value = 200;
        Assert.Equal(200, total.Value);
        Assert.Equal(20, discount.Value);
    }

    [Fact]
    public void Self_reading_computed_throws_with_a_stable_label()
    {
        Computed<int>? self = null;
        self = new Computed<int>(() => self!.Value + 1);
        var ex = Assert.Throws<CyclicDerivationException>(() => self.Value);
        Assert.Equal(2, ex.Cycle.Count);
        Assert.Matches(@"^Computed<Int32>#\d+$", ex.Cycle[0]);
        Assert.Equal(ex.Cycle[0], ex.Cycle[1]);
    }

    [Fact]
    public void Untracked_reads_do_not_create_dependencies()
    {
        var a = new Signal<int>(1);
        var b = new Signal<int>(10);
        int runs = 0;
        var c = new Computed<int>(() => { runs++; return a.Value + Rx.Untracked(() => b.Value) + b.Peek(); });
        using var e = new Effect(() => _ = c.Value);
        b.Value = 20;
        Assert.Equal(1, runs);
        a.Value = 2;
        Assert.Equal(2, runs);
        Assert.Equal(42, c.Value);
        int seen = 0;
        Rx.Untracked(() => { seen = a.Value; });
        Assert.Equal(2, seen);
    }

    [Fact]
    public void Ten_thousand_chained_computeds_work_on_a_1MB_stack()
    {
        Exception? failure = null;
        int first = 0, second = 0, effectSaw = 0;
        var thread = new System.Threading.Thread(
            () =>
            {
                try
                {
                    var head = new Signal<int>(0);
                    Computed<int> tail = new(() => head.Value + 1);
                    for (int i = 1; i < 10_000; i++)
                    {
                        Computed<int> previous = tail;
                        tail = new Computed<int>(() => previous.Value + 1);
                    }

                    first = tail.Value; // first evaluation: 10,000 nested reads
                    using var e = new Effect(() => effectSaw = tail.Value);
                    head.Value = 5; // propagation and re-validation: explicit stacks
                    second = tail.Value;
                    e.Dispose(); // releases the whole chain iteratively
                    head.Value = 6;
                    Assert.Equal(10_006, tail.Value);
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
        Assert.Equal(10_000, first);
        Assert.Equal(10_005, second);
        Assert.Equal(10_005, effectSaw);
    }

    private sealed class ParityComparer : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x % 2 == y % 2;

        public int GetHashCode(int obj) => obj % 2;
    }
}
