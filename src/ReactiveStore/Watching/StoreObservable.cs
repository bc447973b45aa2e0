namespace ReactiveStore;

/// <summary>The <see cref="IObservable{T}"/> face of a selector: each observer gets its own subscription.</summary>
/// <remarks>Observers are called on the dispatcher with the same ordering, retry and dead-letter rules as callbacks;
/// <see cref="IObserver{T}.OnCompleted"/> is called when the store shuts down, after every queued event.</remarks>
internal sealed class StoreObservable(StateStore store, PathSelector selector, SubscribeOptions options) : IObservable<StateEvent>
{
    public IDisposable Subscribe(IObserver<StateEvent> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return store.Subscribe(selector, observer, options);
    }
}
