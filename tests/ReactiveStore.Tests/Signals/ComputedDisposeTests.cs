using System;
using System.Collections.Generic;
using ReactiveStore.Signals;

namespace ReactiveStore.Tests.SignalsEngine;

public class ComputedDisposeTests
{
    [Fact]
    public void Reading_a_disposed_computed_throws_naming_it_and_disposing_twice_is_a_no_op()
    {
        var a = new Signal<int>(1);
        var c = new Computed<int>(() => a.Value + 1) { Name = "Total" };
        Assert.Equal(2, c.Value);
        Assert.False(c.IsDisposed);
        c.Dispose();
        c.Dispose();
        Assert.True(c.IsDisposed);
        var ex = Assert.Throws<ObjectDisposedException>(() => c.Value);
        Assert.Equal("Total", ex.ObjectName);
        Assert.Contains("Total", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => c.Peek());
        a.Value = 2; // writes after the dispose do not touch it
        Assert.Throws<ObjectDisposedException>(() => c.Value);
    }

    [Fact]
    public void Disposing_an_observed_computed_unlinks_it_from_its_sources_and_subscribers()
    {
        var a = new Signal<int>(1);
        var b = new Signal<int>(10);
        int runs = 0;
        var c = new Computed<int>(() => a.Value * 2);
        var seen = new List<int>();
        using var effect = new Effect(() =>
        {
            runs++;
            int bv = b.Value;
            seen.Add(bv < 20 ? bv + c.Value : bv);
        });
        Assert.Equal(1, GraphInspection.SubscriberCount(a));
        Assert.Equal(1, GraphInspection.SubscriberCount(c));
        Assert.Equal(2, GraphInspection.DependencyCount(effect));

        c.Dispose();
        Assert.Equal(0, GraphInspection.SubscriberCount(a));
        Assert.Equal(0, GraphInspection.SubscriberCount(c));
        Assert.Equal(0, GraphInspection.DependencyCount(c));
        Assert.Equal(1, GraphInspection.DependencyCount(effect)); // only b is left

        a.Value = 5; // no longer reaches the effect
        Assert.Equal(1, runs);
        b.Value = 30; // the effect keeps working on what it still reads
        Assert.Equal([12, 30], seen);
    }

    [Fact]
    public void A_dependent_that_reads_a_disposed_computed_again_gets_the_ObjectDisposedException()
    {
        var a = new Signal<int>(1);
        var trigger = new Signal<int>(0);
        var inner = new Computed<int>(() => a.Value) { Name = "Inner" };
        var outer = new Computed<int>(() => trigger.Value + inner.Value);
        Assert.Equal(1, outer.Value);
        inner.Dispose();
        Assert.Equal(1, outer.Value); // keeps its value until something it reads changes
        trigger.Value = 1;
        var ex = Assert.Throws<ObjectDisposedException>(() => outer.Value);
        Assert.Equal("Inner", ex.ObjectName);
    }

    [Fact]
    public void Disposing_releases_computeds_only_it_observed_and_they_stay_cached()
    {
        var a = new Signal<int>(1);
        int innerRuns = 0;
        var inner = new Computed<int>(() => { innerRuns++; return a.Value + 1; });
        var outer = new Computed<int>(() => inner.Value * 10);
        using var effect = new Effect(() => _ = outer.Value);
        Assert.Equal(1, GraphInspection.SubscriberCount(inner));
        outer.Dispose();
        Assert.Equal(0, GraphInspection.SubscriberCount(inner));
        Assert.Equal(0, GraphInspection.SubscriberCount(a));
        Assert.Equal(2, inner.Value);
        Assert.Equal(1, innerRuns);
    }

    [Fact]
    public void A_computed_cannot_dispose_itself_while_computing()
    {
        Computed<int>? self = null;
        self = new Computed<int>(() =>
        {
            self!.Dispose();
            return 1;
        }) { Name = "Self" };
        var ex = Assert.Throws<InvalidOperationException>(() => self.Value);
        Assert.Contains("'Self' cannot be disposed while it is computing", ex.Message, StringComparison.Ordinal);
        Assert.False(self.IsDisposed);
        self.Dispose();
        Assert.True(self.IsDisposed);
    }
}
