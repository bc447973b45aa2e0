using System;
using System.Collections.Generic;
using ReactiveStore.Signals;
using Rx = ReactiveStore.Signals.Signals;

namespace ReactiveStore.Tests.SignalsEngine;

public class EffectTests
{
    [Fact]
    public void Effect_runs_at_once_then_once_per_outermost_batch()
    {
        var a = new Signal<int>(1);
        var b = new Signal<int>(2);
        var log = new List<int>();
        using var e = new Effect(() => log.Add(a.Value + b.Value));
        Assert.Equal([3], log);
        Rx.Batch(() =>
        {
            a.Value = 10;
            Rx.Batch(() =>
            {
                b.Value = 20;
                a.Value = 11;
            });
            Assert.Equal([3], log); // the inner batch ending does not flush
            Assert.Equal(31, a.Value + b.Value); // reads inside a batch see the writes
        });
        Assert.Equal([3, 31], log); // synchronously, before Batch returned
        a.Value = 12; // unbatched write: flushes before the setter returns
        Assert.Equal([3, 31, 32], log);
    }

    [Fact]
    public void Batch_with_state_overload_and_exception_still_flushes_the_writes_made()
    {
        var a = new Signal<int>(0);
        int runs = 0;
        using var e = new Effect(() => { _ = a.Value; runs++; });
        Rx.Batch(a, static s => s.Value = 5);
        Assert.Equal(2, runs);
        Assert.Throws<InvalidOperationException>(() => Rx.Batch(() =>
        {
            a.Value = 6;
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal(3, runs);
        Assert.Equal(6, a.Peek());
    }

    [Fact]
    public void Dispose_stops_the_effect_and_is_idempotent()
    {
        var a = new Signal<int>(0);
        int runs = 0;
        var e = new Effect(() => { _ = a.Value; runs++; });
        a.Value = 1;
        e.Dispose();
        e.Dispose();
        Assert.True(e.IsDisposed);
        a.Value = 2;
        Assert.Equal(2, runs);
        Assert.Equal(0, GraphInspection.SubscriberCount(a));
    }

    [Fact]
    public void Disposing_releases_unobserved_computeds_which_stay_correct_when_read()
    {
        var a = new Signal<int>(1);
        int runs = 0;
        var c = new Computed<int>(() => { runs++; return a.Value * 2; });
        var e = new Effect(() => _ = c.Value);
        e.Dispose();
        Assert.Equal(0, GraphInspection.SubscriberCount(a)); // c detached from its source
        a.Value = 5;
        Assert.Equal(1, runs);
        Assert.Equal(10, c.Value);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void An_effect_can_dispose_itself_while_running()
    {
        var a = new Signal<int>(0);
        var runs = 0;
        Effect? self = null;
        self = new Effect(() =>
        {
            runs++;
            if (a.Value == 2)
            {
                self!.Dispose();
                _ = a.Value; // reads after disposing are not tracked
            }
        });
        a.Value = 1;
        a.Value = 2;
        a.Value = 3;
        Assert.Equal(3, runs);
        Assert.True(self.IsDisposed);
        Assert.Equal(0, GraphInspection.SubscriberCount(a));
    }

    [Fact]
    public void Effects_created_inside_an_effect_are_independent()
    {
        var outerSource = new Signal<int>(0);
        var innerSource = new Signal<int>(0);
        var created = new List<Effect>();
        int outerRuns = 0, innerRuns = 0;
        using var outer = new Effect(() =>
        {
            outerRuns++;
            _ = outerSource.Value;
            created.Add(new Effect(() => { _ = innerSource.Value; innerRuns++; }));
        });
        Assert.Equal((1, 1), (outerRuns, innerRuns));
        innerSource.Value = 1; // only the inner effect depends on it
        Assert.Equal((1, 2), (outerRuns, innerRuns));
        outerSource.Value = 1; // outer re-runs and creates a second inner effect
        Assert.Equal((2, 3), (outerRuns, innerRuns));
        innerSource.Value = 2; // both inner effects are alive
        Assert.Equal((2, 5), (outerRuns, innerRuns));
        foreach (Effect e in created)
        {
            e.Dispose();
        }

        innerSource.Value = 3;
        Assert.Equal((2, 5), (outerRuns, innerRuns));
    }

    [Fact]
    public void Writes_inside_an_effect_run_in_a_following_flush()
    {
        var a = new Signal<int>(0);
        var doubled = new Signal<int>(0);
        var log = new List<string>();
        using var writer = new Effect(() =>
        {
            int v = a.Value;
            log.Add("writer " + v);
            doubled.Value = v * 2;
            log.Add("writer done");
        });
        using var reader = new Effect(() => log.Add("reader " + doubled.Value));
        log.Clear();
        a.Value = 3;
        Assert.Equal(["writer 3", "writer done", "reader 6"], log);
    }

    [Fact]
    public void An_effect_that_writes_what_it_read_reruns_until_stable()
    {
        var counter = new Signal<int>(0);
        int runs = 0;
        using var e = new Effect(() =>
        {
            runs++;
            int v = counter.Value;
            if (v < 5)
            {
                counter.Value = v + 1;
            }
        });
        Assert.Equal(5, counter.Peek());
        Assert.Equal(6, runs);
    }

    [Fact]
    public void Endless_effect_loops_hit_the_limit_with_a_clear_exception()
    {
        var a = new Signal<int>(0);
        var b = new Signal<int>(0);
        using var ping = new Effect(() => b.Value = a.Value + 1) { Name = "Ping" };

        // Creating the second effect closes the loop; its constructor throws and disposes it.
        var ex = Assert.Throws<InvalidOperationException>(() => new Effect(() => a.Value = b.Value + 1));
        Assert.Contains("ran more than 100000 times in one flush", ex.Message, StringComparison.Ordinal);
        Assert.Matches("Effect '(Ping|Effect#[0-9]+)'", ex.Message);
        ping.Dispose();

        // The graph is still usable.
        int runs = 0;
        using var ok = new Effect(() => { _ = a.Value; runs++; });
        a.Value = -1;
        Assert.Equal(2, runs);
    }

    [Fact]
    public void A_throwing_effect_is_reported_and_does_not_stop_the_others()
    {
        var a = new Signal<int>(0);
        var failures = new List<EffectErrorEventArgs>();
        Effect? bad = null;
        EventHandler<EffectErrorEventArgs> handler = (_, args) =>
        {
            if (args.Effect == bad)
            {
                failures.Add(args);
            }
        };
        Rx.EffectFailed += handler;
        try
        {
            int before = 0, after = 0;
            using var first = new Effect(() => { _ = a.Value; before++; });
            bad = new Effect(() =>
            {
                if (a.Value == 1)
                {
                    throw new InvalidOperationException("effect failed");
                }
            });
            using var last = new Effect(() => { _ = a.Value; after++; });
            a.Value = 1; // does not throw to the writer
            Assert.Equal((2, 2), (before, after));
            Assert.Single(failures);
            Assert.Equal("effect failed", failures[0].Exception.Message);
            a.Value = 2; // the failed effect kept its dependencies and runs again
            Assert.Equal((3, 3), (before, after));
            Assert.Single(failures);
            bad.Dispose();
        }
        finally
        {
            Rx.EffectFailed -= handler;
        }
    }

    [Fact]
    public void Failures_without_a_handler_are_dropped_and_first_run_failures_throw()
    {
        var a = new Signal<int>(0);
        using var bad = new Effect(() =>
        {
            if (a.Value == 1)
            {
                throw new InvalidOperationException("ignored");
            }
        });
        a.Value = 1; // nothing thrown to the writer

        var ex = Assert.Throws<InvalidOperationException>(() => new Effect(() => throw new InvalidOperationException("first")));
        Assert.Equal("first", ex.Message);
    }
}
