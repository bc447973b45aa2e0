namespace ReactiveStore;

/// <summary>Where the write behind an event came from.</summary>
/// <param name="ProcessId">The operating-system id of the process that made the write.</param>
/// <param name="ThreadId">The managed thread id of the writing thread.</param>
/// <param name="NodeId">The sync node the write arrived from, or <see langword="null"/> for a local write.</param>
public readonly record struct EventOrigin(int ProcessId, int ThreadId, string? NodeId)
{
    /// <summary>Gets the origin of a write made on the current thread of this process.</summary>
    public static EventOrigin Local => new(Environment.ProcessId, Environment.CurrentManagedThreadId, null);
}
