namespace ReactiveStore;

/// <summary>The observable face of a (possibly resumed) watch: each observer gets its own watch, pumped to it in order on
/// a background task; errors (a compacted history, an overflow) end the observer with <see cref="IObserver{T}.OnError"/>.</summary>
internal sealed class WatchObservable(StateStore store, string selector, WatchOptions options) : IObservable<StateEvent>
{
    public IDisposable Subscribe(IObserver<StateEvent> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var stop = new CancellationTokenSource();
        StateWatch watch = store.Watch(selector, options, stop.Token);
        _ = PumpAsync(watch, observer, stop);
        return new Unsubscriber(stop, watch);
    }

    private static async Task PumpAsync(StateWatch watch, IObserver<StateEvent> observer, CancellationTokenSource stop)
    {
        try
        {
            await foreach (StateEvent stateEvent in ((IAsyncEnumerable<StateEvent>)watch).ConfigureAwait(false))
            {
                observer.OnNext(stateEvent);
            }

            observer.OnCompleted();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Unsubscribed: an observer hears nothing more.
        }
        catch (Exception ex)
        {
            observer.OnError(ex);
        }
    }

    private sealed class Unsubscriber(CancellationTokenSource stop, StateWatch watch) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                stop.Cancel();
                watch.Dispose();
                stop.Dispose();
            }
        }
    }
}
