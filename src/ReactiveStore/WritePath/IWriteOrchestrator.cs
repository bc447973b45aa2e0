namespace ReactiveStore;

/// <summary>The write path of one commit step, as a chain: the orchestrator at the core, decorators around it.</summary>
internal interface IWriteOrchestrator
{
    /// <summary>Runs a value write through the services, stages its storage write in <paramref name="commit"/>, and returns
    /// the new entry (the store stages it on the table).</summary>
    StateEntry<T> Set<T>(Commit commit, in WriteOperation<T> operation);

    /// <summary>Runs a delete through the services and stages its storage deletes in <paramref name="commit"/>.</summary>
    void Delete(Commit commit, DeleteOperation operation);
}
