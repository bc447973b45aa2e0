using System.Collections.Concurrent;

namespace ReactiveStore.Tests.ChangeLog;

/// <summary>Resumable watches over the change log (issue 11): history after a version, then live, no gap, no duplicate.</summary>
public sealed class ResumedWatchTests
{
    [Fact]
    public async Task Resuming_from_every_version_of_a_run_yields_exactly_the_suffix()
    {
        await using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline });
        for (int i = 1; i <= 40; i++)
        {
            if (i % 7 == 0)
            {
                store.Delete($"k{i % 5}");
            }
            else if (i % 11 == 0)
            {
                store.Ping($"k{i % 5}");
            }
            else
            {
                store.Set($"k{i % 5}", i);
            }
        }

        long last = store.Version;
        Assert.Equal(40, last);
        for (long from = 0; from < last; from++)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await using StateWatch watch = store.Watch("*", new WatchOptions { FromVersion = from }, cancel.Token);
            var seen = new List<long>();
            await foreach (StateEvent e in watch)
            {
                seen.Add(e.Version);
                if (e.Version == last)
                {
                    break;
                }
            }

            Assert.Equal(Enumerable.Range((int)from + 1, (int)(last - from)).Select(v => (long)v), seen);
        }
    }

    [Fact]
    public async Task History_carries_values_types_paths_and_the_selector_filters_it()
    {
        await using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline });
        store.Set("users.ada.name", "Ada");
        store.Set("orders.o1", 3);
        store.Set("users.bob.name", "Bob");
        store.Delete("users.ada");

        await using StateWatch watch = store.Watch("users", new WatchOptions { FromVersion = 0 });
        var seen = new List<StateEvent>();
        await foreach (StateEvent e in watch)
        {
            seen.Add(e);
            if (e.Version == 4)
            {
                break;
            }
        }

        Assert.Equal(["Set users.ada.name", "Set users.bob.name", "Delete users.ada"], seen.Select(e => $"{e.Type} {e.Path}"));
        Assert.Equal("Ada", seen[0].GetValue<string>());
        Assert.Equal("users", seen[0].CurrentPath.ToString()); // reached by bubbling, like a live event
        Assert.Equal(1, seen[0].Metadata!.Version);
    }

    [Fact]
    public async Task Writers_running_while_a_watch_resumes_leave_no_gap_and_no_duplicate_at_the_seam()
    {
        await using var store = new StateStore();
        for (int i = 0; i < 500; i++)
        {
            store.Set("counter", i);
        }

        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(() =>
        {
            for (int i = 500; i < 3_000; i++)
            {
                store.Set("counter", i);
            }
        });

        await Task.Delay(5);
        await using StateWatch watch = store.Watch("counter", new WatchOptions { FromVersion = 100, Capacity = 4_096 });
        await writer.WithTimeout(30);
        long last = store.Version;
        var seen = new List<long>();
        await foreach (StateEvent e in watch.WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            seen.Add(e.Version);
            if (e.Version == last)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(101, (int)(last - 100)).Select(v => (long)v), seen);
    }

    [Fact]
    public async Task Resuming_before_the_retained_log_throws_with_the_oldest_retained_version()
    {
        await using var store = new StateStore(new StateStoreOptions
        {
            DispatchMode = DispatchMode.Inline,
            ChangeLogRetention = new ChangeLogRetention { MaxChanges = 10 },
        });
        for (int i = 1; i <= 30; i++)
        {
            store.Set("a", i);
        }

        await using StateWatch compacted = store.Watch("*", new WatchOptions { FromVersion = 5 });
        ChangeLogCompactedException error = await Assert.ThrowsAsync<ChangeLogCompactedException>(async () =>
        {
            await foreach (StateEvent _ in compacted)
            {
            }
        });
        Assert.Equal(21, error.OldestRetainedVersion);
        Assert.Equal(5, error.RequestedVersion);
        Assert.Equal(30, error.CurrentVersion);

        // The oldest retained version minus one still resumes.
        await using StateWatch resumed = store.Watch("*", new WatchOptions { FromVersion = 20 });
        var seen = new List<long>();
        await foreach (StateEvent e in resumed)
        {
            seen.Add(e.Version);
            if (e.Version == 30)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(21, 10).Select(v => (long)v), seen);
    }

    [Fact]
    public async Task Resuming_after_a_version_the_store_never_reached_is_an_error_not_a_silent_gap()
    {
        await using var store = new StateStore(new StateStoreOptions { DispatchMode = DispatchMode.Inline });
        store.Set("a", 1);
        await using StateWatch watch = store.Watch("*", new WatchOptions { FromVersion = 500 });
        ChangeLogCompactedException error = await Assert.ThrowsAsync<ChangeLogCompactedException>(async () =>
        {
            await foreach (StateEvent _ in watch)
            {
            }
        });
        Assert.Contains("this store is at version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observe_resumes_too_and_reports_compaction_as_an_error()
    {
        await using var store = new StateStore(new StateStoreOptions
        {
            DispatchMode = DispatchMode.Inline,
            ChangeLogRetention = new ChangeLogRetention { MaxChanges = 5 },
        });
        for (int i = 1; i <= 8; i++)
        {
            store.Set("a", i);
        }

        var seen = new ConcurrentQueue<long>();
        var done = new TaskCompletionSource();
        using IDisposable subscription = store.Observe("a", new WatchOptions { FromVersion = 5 }).Subscribe(new Observer(e =>
        {
            seen.Enqueue(e.Version);
            if (e.Version == 9)
            {
                done.TrySetResult();
            }
        }, error => done.TrySetException(error)));
        store.Set("a", 9);
        await done.Task.WithTimeout(10);
        Assert.Equal([6L, 7, 8, 9], seen);

        var failed = new TaskCompletionSource<Exception>();
        using IDisposable compacted = store.Observe("a", new WatchOptions { FromVersion = 1 }).Subscribe(new Observer(_ => { }, error => failed.TrySetResult(error)));
        Assert.IsType<ChangeLogCompactedException>(await failed.Task.WithTimeout(10));
    }

    private sealed class Observer(Action<StateEvent> next, Action<Exception> error) : IObserver<StateEvent>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception exception) => error(exception);

        public void OnNext(StateEvent value) => next(value);
    }
}
