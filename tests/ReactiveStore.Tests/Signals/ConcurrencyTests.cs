using System;
using System.Threading;
using ReactiveStore.Signals;
using Rx = ReactiveStore.Signals.Signals;

namespace ReactiveStore.Tests.SignalsEngine;

public class ConcurrencyTests
{
    [Fact]
    public void Concurrent_writers_and_readers_never_observe_a_glitch()
    {
        var a = new Signal<int>(0);
        var b = new Computed<int>(() => a.Value * 2);
        var c = new Computed<int>(() => a.Value * 3);
        var d = new Computed<int>(() => b.Value + c.Value);
        var pair = new Computed<(int A, int D)>(() => (a.Value, d.Value));
        int effectGlitches = 0, readerGlitches = 0, effectRuns = 0;
        using var effect = new Effect(() =>
        {
            (int av, int dv) = pair.Value;
            if (dv != 5 * av)
            {
                Interlocked.Increment(ref effectGlitches);
            }

            effectRuns++;
        });

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        // Dedicated threads: spinning thread-pool tasks could starve each other on a small machine.
        var workers = new Thread[4];
        for (int w = 0; w < 2; w++)
        {
            int seed = w;
            workers[w] = new Thread(() =>
            {
                int i = seed * 1_000_000;
                while (!stop.IsCancellationRequested)
                {
                    a.Value = ++i;
                    if (i % 3 == 0)
                    {
                        Rx.Batch(() => { a.Value = a.Value + 1; a.Value = a.Value + 1; });
                    }
                }
            });
            workers[w].Start();
        }

        for (int r = 2; r < 4; r++)
        {
            workers[r] = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    (int av, int dv) = pair.Value;
                    if (dv != 5 * av)
                    {
                        Interlocked.Increment(ref readerGlitches);
                    }

                    // Several reads inside one batch see one consistent state.
                    Rx.Batch(() =>
                    {
                        int a1 = a.Value, d1 = d.Value, b1 = b.Value, c1 = c.Peek();
                        if (d1 != 5 * a1 || b1 != 2 * a1 || c1 != 3 * a1)
                        {
                            Interlocked.Increment(ref readerGlitches);
                        }
                    });
                }
            });
            workers[r].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        Assert.Equal(0, effectGlitches);
        Assert.Equal(0, readerGlitches);
        Assert.True(effectRuns > 1, $"effect runs: {effectRuns}, a = {a.Peek()}");
        Assert.Equal(5 * a.Peek(), d.Peek());
    }
}
