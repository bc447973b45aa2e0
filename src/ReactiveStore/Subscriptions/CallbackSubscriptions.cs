namespace ReactiveStore;

/// <summary>A subscription with a synchronous callback.</summary>
internal sealed class ActionSubscription(StateStore store, long id, PathSelector selector, bool bubble, SynchronizationContext? context, Action<StateEvent> callback)
    : Subscription(store, id, selector, bubble, context)
{
    internal override bool IsAsync => false;

    internal override void Invoke(StateEvent stateEvent) => callback(stateEvent);
}

/// <summary>A subscription with a synchronous callback and a caller-supplied state, so the callback need not capture.</summary>
internal sealed class StateActionSubscription<TState>(StateStore store, long id, PathSelector selector, bool bubble, SynchronizationContext? context, TState state, Action<StateEvent, TState> callback)
    : Subscription(store, id, selector, bubble, context)
{
    internal override bool IsAsync => false;

    internal override void Invoke(StateEvent stateEvent) => callback(stateEvent, state);
}

/// <summary>A subscription with an asynchronous callback that the dispatcher awaits.</summary>
internal sealed class AsyncSubscription(StateStore store, long id, PathSelector selector, bool bubble, SynchronizationContext? context, Func<StateEvent, ValueTask> callback)
    : Subscription(store, id, selector, bubble, context)
{
    internal override bool IsAsync => true;

    internal override void Invoke(StateEvent stateEvent)
    {
        ValueTask pending = callback(stateEvent);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    internal override ValueTask InvokeAsync(StateEvent stateEvent) => callback(stateEvent);
}

/// <summary>A subscription that forwards events to an <see cref="IObserver{T}"/>.</summary>
internal sealed class ObserverSubscription(StateStore store, long id, PathSelector selector, bool bubble, SynchronizationContext? context, IObserver<StateEvent> observer)
    : Subscription(store, id, selector, bubble, context)
{
    internal override bool IsAsync => false;

    internal override void Invoke(StateEvent stateEvent) => observer.OnNext(stateEvent);

    internal override void OnEnded(bool storeShutdown)
    {
        if (storeShutdown)
        {
            observer.OnCompleted();
        }
    }
}
