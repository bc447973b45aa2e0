using System;
using System.Collections.Generic;
using System.Threading;
using ReactiveStore.Signals;
using Rx = ReactiveStore.Signals.Signals;

namespace ReactiveStore.Tests.SignalsEngine;

/// <summary>The narrow internal surface the store uses: batches, tracking, subscribers, work after the lock.</summary>
public class EngineApiTests
{
    [Fact]
    public void RunAfterExit_runs_at_once_without_the_lock()
    {
        var log = new List<string>();
        SignalGraph.RunAfterExit(static s => ((List<string>)s!).Add("ran"), log);
        Assert.Equal(["ran"], log);
    }

    [Fact]
    public void RunAfterExit_waits_for_the_outermost_release_and_runs_outside_the_lock_in_order()
    {
        var log = new List<string>();
        Rx.Batch(() =>
        {
            SignalGraph.RunAfterExit(s => log.Add("first held=" + SignalGraph.IsHeldByCurrentThread), null);
            Rx.Batch(() => SignalGraph.RunAfterExit(s => log.Add("second held=" + SignalGraph.IsHeldByCurrentThread), null));
            log.Add("inner batch ended");
            SignalGraph.RunAfterExit(s => log.Add("third " + (string)s!), "state");
        });
        Assert.Equal(["inner batch ended", "first held=False", "second held=False", "third state"], log);
    }

    [Fact]
    public void RunAfterExit_from_an_effect_runs_after_the_write_that_triggered_it()
    {
        var a = new Signal<int>(0);
        var log = new List<string>();
        using var effect = new Effect(() =>
        {
            int v = a.Value;
            SignalGraph.RunAfterExit(s => log.Add($"after {s} held={SignalGraph.IsHeldByCurrentThread}"), v);
            log.Add("effect " + v);
        });
        log.Clear();
        a.Value = 1;
        Assert.Equal(["effect 1", "after 1 held=False"], log);
    }

    [Fact]
    public void Work_queued_while_draining_runs_in_the_same_loop_after_what_was_already_queued()
    {
        var log = new List<string>();
        Rx.Batch(() =>
        {
            SignalGraph.RunAfterExit(
                _ =>
                {
                    log.Add("a");
                    Rx.Batch(() => SignalGraph.RunAfterExit(_ => log.Add("c (queued by a)"), null));
                    log.Add("a done");
                },
                null);
            SignalGraph.RunAfterExit(_ => log.Add("b"), null);
        });
        Assert.Equal(["a", "a done", "b", "c (queued by a)"], log);
    }

    [Fact]
    public void A_failing_item_does_not_stop_the_others_and_a_single_failure_is_rethrown_as_is()
    {
        var log = new List<string>();
        var ex = Assert.Throws<InvalidOperationException>(() => Rx.Batch(() =>
        {
            SignalGraph.RunAfterExit(_ => throw new InvalidOperationException("one"), null);
            SignalGraph.RunAfterExit(_ => log.Add("still ran"), null);
        }));
        Assert.Equal("one", ex.Message);
        Assert.Equal(["still ran"], log);

        // Nothing is left queued: the next release runs nothing twice.
        Rx.Batch(() => { });
        Assert.Equal(["still ran"], log);
    }

    [Fact]
    public void Several_failures_are_rethrown_as_one_AggregateException_in_queue_order()
    {
        var log = new List<string>();
        var ex = Assert.Throws<AggregateException>(() => Rx.Batch(() =>
        {
            SignalGraph.RunAfterExit(_ => throw new InvalidOperationException("one"), null);
            SignalGraph.RunAfterExit(_ => log.Add("between"), null);
            SignalGraph.RunAfterExit(_ => throw new ArgumentException("two"), null);
        }));
        Assert.Equal(2, ex.InnerExceptions.Count);
        Assert.IsType<InvalidOperationException>(ex.InnerExceptions[0]);
        Assert.IsType<ArgumentException>(ex.InnerExceptions[1]);
        Assert.Equal(["between"], log);
    }

    [Fact]
    public void RunAfterExit_is_per_thread()
    {
        var log = new List<string>();
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() => Rx.Batch(() =>
        {
            SignalGraph.RunAfterExit(_ => { lock (log) { log.Add("holder's work"); } }, null);
            holding.Set();
            release.Wait();
        }));
        holder.Start();
        holding.Wait();
        SignalGraph.RunAfterExit(_ => { lock (log) { log.Add("other thread, at once"); } }, null); // this thread does not hold the lock
        release.Set();
        holder.Join();
        Assert.Equal(["other thread, at once", "holder's work"], log);
    }

    [Fact]
    public void BeginBatch_and_EndBatch_defer_effects_to_the_outermost_end()
    {
        var a = new Signal<int>(0);
        var log = new List<int>();
        using var effect = new Effect(() => log.Add(a.Value));
        bool taken = SignalGraph.Enter();
        try
        {
            SignalGraph.BeginBatch();
            a.Value = 1;
            SignalGraph.BeginBatch();
            a.Value = 2;
            SignalGraph.EndBatch();
            Assert.Equal([0], log);
            SignalGraph.EndBatch();
            Assert.Equal([0, 2], log);
        }
        finally
        {
            if (taken)
            {
                SignalGraph.Exit();
            }
        }
    }

    [Fact]
    public void IsTracking_is_true_only_inside_a_tracking_computation()
    {
        var a = new Signal<int>(1);
        var states = new List<string>();
        Assert.False(SignalGraph.IsTracking);
        var c = new Computed<int>(() =>
        {
            states.Add("computed " + SignalGraph.IsTracking);
            Rx.Untracked(() => states.Add("untracked " + SignalGraph.IsTracking));
            return a.Value;
        });
        using var effect = new Effect(() =>
        {
            states.Add("effect " + SignalGraph.IsTracking);
            _ = c.Value;
        });
        Rx.Batch(() => states.Add("batch " + SignalGraph.IsTracking));
        Assert.Equal(["effect True", "computed True", "untracked False", "batch False"], states);
    }

    [Fact]
    public void HasSubscribers_counts_observers_but_not_unobserved_computeds()
    {
        var a = new Signal<int>(1);
        var c = new Computed<int>(() => a.Value);
        _ = c.Value;
        Assert.False(Held(() => a.HasSubscribers));
        var effect = new Effect(() => _ = c.Value);
        Assert.True(Held(() => a.HasSubscribers));
        Assert.True(Held(() => c.HasSubscribers));
        effect.Dispose();
        Assert.False(Held(() => a.HasSubscribers));
    }

    private static bool Held(Func<bool> read)
    {
        bool taken = SignalGraph.Enter();
        try
        {
            return read();
        }
        finally
        {
            if (taken)
            {
                SignalGraph.Exit();
            }
        }
    }
}
