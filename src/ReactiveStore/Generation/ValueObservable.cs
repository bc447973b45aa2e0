namespace ReactiveStore;

/// <summary>Maps the events of one exact path to the typed new values (pings skipped).</summary>
internal sealed class ValueObservable<T>(IObservable<StateEvent> events) : IObservable<T>
{
    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return events.Subscribe(new Mapper(observer));
    }

    private sealed class Mapper(IObserver<T> inner) : IObserver<StateEvent>
    {
        public void OnCompleted() => inner.OnCompleted();

        public void OnError(Exception error) => inner.OnError(error);

        public void OnNext(StateEvent value)
        {
            if (value.Type != StateEventType.Ping)
            {
                inner.OnNext(value.GetValue<T>()!);
            }
        }
    }
}
