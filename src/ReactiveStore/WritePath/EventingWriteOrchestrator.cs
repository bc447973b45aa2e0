namespace ReactiveStore;

/// <summary>Decorator: once a write succeeded, records its event in the commit, with the next store version. The event
/// reaches subscribers when the commit is published.</summary>
internal sealed class EventingWriteOrchestrator(LoggingWriteOrchestrator inner) : IWriteOrchestrator
{
    public StateEntry<T> Set<T>(Commit commit, in WriteOperation<T> operation)
    {
        StateEntry<T> entry = inner.Set(commit, operation);
        commit.AddEvent(new PendingEvent(
            StateEventType.Set,
            operation.Path,
            commit.NextVersion(),
            entry,
            operation.Current,
            null,
            operation.Options?.Payload,
            operation.ThreadId,
            operation.Node,
            operation.Json,
            operation.Now,
            operation.Cause));
        return entry;
    }

    public void Delete(Commit commit, DeleteOperation operation)
    {
        inner.Delete(commit, operation);
        commit.AddEvent(new PendingEvent(
            StateEventType.Delete,
            operation.Path,
            commit.NextVersion(),
            null,
            operation.Own,
            operation.Subtree,
            null,
            operation.ThreadId,
            operation.Node,
            null,
            operation.Now,
            operation.Cause));
    }
}
