using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using ReactiveStore.Signals;

namespace ReactiveStore.Tests.SignalsEngine;

public class UnobservedComputedTests
{
    [Fact]
    public void Dropped_unobserved_computeds_are_not_kept_alive_by_their_source()
    {
        const int Count = 200_000;
        var source = new Signal<int>(0);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        List<WeakReference> sample = CreateReadAndDrop(source, Count, sampleEvery: 1_000);
        Assert.Equal(Count / 1_000, sample.Count);
        Assert.Equal(0, GraphInspection.SubscriberCount(source)); // no back-links from the source

        for (int i = 1; i <= 1_000; i++)
        {
            source.Value = i;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        int alive = 0;
        foreach (WeakReference reference in sample)
        {
            if (reference.IsAlive)
            {
                alive++;
            }
        }

        Assert.Equal(0, alive);
        Assert.True(retained < 4 * 1024 * 1024, $"{retained:N0} bytes retained after dropping {Count:N0} computeds");
        GC.KeepAlive(source);
    }

    [Fact]
    public void An_unobserved_computed_evaluates_once_until_a_dependency_changes()
    {
        var a = new Signal<int>(1);
        var unrelated = new Signal<int>(0);
        int innerRuns = 0, outerRuns = 0;
        var inner = new Computed<int>(() => { innerRuns++; return a.Value * 2; });
        var outer = new Computed<int>(() => { outerRuns++; return inner.Value + 1; });
        Assert.Equal(3, outer.Value);
        Assert.Equal(3, outer.Value);
        Assert.Equal(3, outer.Peek());
        Assert.Equal((1, 1), (innerRuns, outerRuns));

        unrelated.Value = 5; // something was written, but nothing outer depends on
        Assert.Equal(3, outer.Value);
        Assert.Equal((1, 1), (innerRuns, outerRuns));

        a.Value = 2;
        Assert.Equal(5, outer.Value);
        Assert.Equal((2, 2), (innerRuns, outerRuns));
        Assert.Equal(0, GraphInspection.SubscriberCount(a));
        Assert.Equal(0, GraphInspection.SubscriberCount(inner));
        Assert.Equal(1, GraphInspection.DependencyCount(outer)); // forward links are kept
    }

    [Fact]
    public void Equality_cut_off_works_for_unobserved_computeds()
    {
        var a = new Signal<int>(1);
        int parityRuns = 0, labelRuns = 0;
        var parity = new Computed<bool>(() => { parityRuns++; return a.Value % 2 == 0; });
        var label = new Computed<string>(() => { labelRuns++; return parity.Value ? "even" : "odd"; });
        Assert.Equal("odd", label.Value);
        a.Value = 3; // parity re-runs to an equal value: label is still valid
        Assert.Equal("odd", label.Value);
        Assert.Equal((2, 1), (parityRuns, labelRuns));
        a.Value = 4;
        Assert.Equal("even", label.Value);
        Assert.Equal((3, 2), (parityRuns, labelRuns));
    }

    [Fact]
    public void A_computed_released_by_its_last_observer_keeps_its_cached_value()
    {
        var a = new Signal<int>(1);
        int runs = 0;
        var c = new Computed<int>(() => { runs++; return a.Value * 10; });
        var effect = new Effect(() => _ = c.Value);
        Assert.Equal(1, GraphInspection.SubscriberCount(a));
        effect.Dispose();
        Assert.Equal(0, GraphInspection.SubscriberCount(a));
        Assert.Equal(0, GraphInspection.SubscriberCount(c));

        Assert.Equal(10, c.Value); // nothing changed: still cached
        Assert.Equal(1, runs);

        a.Value = 2;
        Assert.Equal(20, c.Value);
        Assert.Equal(20, c.Value);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void A_computed_released_while_a_write_was_pending_recomputes_on_read()
    {
        var a = new Signal<int>(1);
        int runs = 0;
        var c = new Computed<int>(() => { runs++; return a.Value + 100; });
        var effect = new Effect(() => _ = c.Value);
        ReactiveStore.Signals.Signals.Batch(() =>
        {
            a.Value = 2; // c is pending, the effect queued
            effect.Dispose(); // releases c before anything re-validated it
        });
        Assert.Equal(1, runs);
        Assert.Equal(102, c.Value);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void An_unobserved_computed_becomes_linked_when_an_effect_reads_it_through_another_computed()
    {
        var a = new Signal<int>(1);
        var inner = new Computed<int>(() => a.Value + 1);
        var outer = new Computed<int>(() => inner.Value * 2);
        Assert.Equal(4, outer.Value);
        Assert.Equal(0, GraphInspection.SubscriberCount(a));

        var seen = new List<int>();
        var effect = new Effect(() => seen.Add(outer.Value));
        Assert.Equal(1, GraphInspection.SubscriberCount(a));
        Assert.Equal(1, GraphInspection.SubscriberCount(inner));
        Assert.Equal(1, GraphInspection.SubscriberCount(outer));
        a.Value = 5;
        Assert.Equal([4, 12], seen);

        effect.Dispose();
        Assert.Equal(0, GraphInspection.SubscriberCount(a));
        Assert.Equal(0, GraphInspection.SubscriberCount(inner));
        a.Value = 6;
        Assert.Equal([4, 12], seen);
        Assert.Equal(14, outer.Value);
    }

    [Fact]
    public void A_stale_node_linked_after_a_computation_wrote_its_source_is_brought_up_to_date()
    {
        // inner is validated, then outer's computation writes inner's source; the effect then links both.
        var source = new Signal<int>(0);
        var inner = new Computed<int>(() => source.Value);
        var outer = new Computed<int>(() =>
        {
            int value = inner.Value;
            source.Value = 5;
            return value;
        });
        var seen = new List<int>();
        using var effect = new Effect(() => seen.Add(outer.Value));
        Assert.Equal(5, inner.Value);
        Assert.Equal(5, outer.Value);
        Assert.Equal(5, seen[^1]);
    }

    [Fact]
    public void Ten_thousand_unobserved_chained_computeds_revalidate_iteratively_and_stay_cached()
    {
        const int Depth = 10_000;
        Exception? failure = null;
        int first = 0, second = 0, evaluationsAfterWrite = 0, evaluationsAfterUnrelatedWrite = 0, evaluationsOnReread = 0;
        var thread = new Thread(
            () =>
            {
                try
                {
                    int evaluations = 0;
                    var head = new Signal<int>(0);
                    var unrelated = new Signal<int>(0);
                    Computed<int> tail = new(() => { evaluations++; return head.Value + 1; });
                    for (int i = 1; i < Depth; i++)
                    {
                        Computed<int> previous = tail;
                        tail = new Computed<int>(() => { evaluations++; return previous.Value + 1; });
                    }

                    first = tail.Value;
                    evaluations = 0;
                    head.Value = 5;
                    second = tail.Value; // a 10,000-deep version walk, then one re-run per level
                    evaluationsAfterWrite = evaluations;
                    evaluations = 0;
                    unrelated.Value = 1;
                    _ = tail.Value; // a walk that finds every version unchanged
                    evaluationsAfterUnrelatedWrite = evaluations;
                    _ = tail.Value; // O(1): nothing written since
                    evaluationsOnReread = evaluations;
                    Assert.Equal(0, GraphInspection.SubscriberCount(head));
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
        Assert.Equal(Depth, first);
        Assert.Equal(Depth + 5, second);
        Assert.Equal(Depth, evaluationsAfterWrite);
        Assert.Equal(0, evaluationsAfterUnrelatedWrite);
        Assert.Equal(0, evaluationsOnReread);
    }

    [Fact]
    public void Cycle_found_while_revalidating_an_unobserved_computed_names_it_and_heals()
    {
        var closed = new Signal<bool>(false);
        var price = new Signal<int>(100);
        Computed<int>? discount = null;
        var total = new Computed<int>(() => closed.Value ? price.Value - discount!.Value : price.Value) { Name = "Total" };
        var wrapper = new Computed<int>(() => total.Value) { Name = "Wrapper" };
        discount = new Computed<int>(() => wrapper.Value / 10) { Name = "Discount" };
        Assert.Equal(10, discount.Value);

        closed.Value = true;
        var ex = Assert.Throws<CyclicDerivationException>(() => total.Value);
        Assert.Equal(["Total", "Discount", "Wrapper", "Total"], ex.Cycle);

        closed.Value = false;
        Assert.Equal(100, total.Value);
        Assert.Equal(10, discount.Value);
        price.Value = 300;
        Assert.Equal(30, discount.Value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<WeakReference> CreateReadAndDrop(Signal<int> source, int count, int sampleEvery)
    {
        var sample = new List<WeakReference>();
        for (int i = 0; i < count; i++)
        {
            int offset = i;
            var computed = new Computed<int>(() => source.Value + offset);
            Assert.Equal(offset, computed.Value);
            if (i % sampleEvery == 0)
            {
                sample.Add(new WeakReference(computed));
            }
        }

        return sample;
    }
}
