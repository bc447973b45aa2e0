namespace ReactiveStore.Storage;

/// <summary>What a driver's <see cref="IStateStorage.ReadAll"/> does when one stored entry cannot be read.</summary>
public enum CorruptEntryPolicy
{
    /// <summary>Throw a <see cref="StorageCorruptionException"/> naming the entry (the default: nothing is silently lost).</summary>
    Throw,

    /// <summary>Leave the entry out, log it, and keep it in the driver's list of skipped entries.</summary>
    Skip,
}
