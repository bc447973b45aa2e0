namespace ReactiveStore;

/// <summary>The write path of one commit step, as a chain: the orchestrator at the core, decorators around it.</summary>
internal interface IWriteOrchestrator
{
    /// <summary>Runs a value write through the services and returns the new entry.</summary>
    StateEntry<T> Set<T>(in WriteOperation<T> operation);

    /// <summary>Runs a delete through the services.</summary>
    void Delete(DeleteOperation operation);
}

/// <summary>Where the events decorator hands the events of successful writes (the store's commit).</summary>
internal interface IStateEventSink
{
    /// <summary>Queues an event in the open commit.</summary>
    void Emit(StateEventType type, StatePath path, StateEntry? entry, StateEntry? previous, SubtreeSnapshot? previousSubtree, object? payload);
}
