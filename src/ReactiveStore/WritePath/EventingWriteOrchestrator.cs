namespace ReactiveStore;

/// <summary>Decorator: after a write succeeded, hands its event to the store's commit (which delivers it once the commit ends).</summary>
internal sealed class EventingWriteOrchestrator(IWriteOrchestrator inner, IStateEventSink sink) : IWriteOrchestrator
{
    public StateEntry<T> Set<T>(in WriteOperation<T> operation)
    {
        StateEntry<T> entry = inner.Set(operation);
        sink.Emit(StateEventType.Set, operation.Path, entry, operation.Current, null, operation.Options?.Payload);
        return entry;
    }

    public void Delete(DeleteOperation operation)
    {
        inner.Delete(operation);
        sink.Emit(StateEventType.Delete, operation.Path, null, operation.Leaf, operation.Subtree, null);
    }
}
