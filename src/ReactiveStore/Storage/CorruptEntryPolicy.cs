namespace ReactiveStore.Storage;

/// <summary>What a driver does when one stored entry (a file, a row) cannot be read.</summary>
public enum CorruptEntryPolicy
{
    /// <summary>The default: the rest loads. <see cref="IStateStorage.ReadAll"/> yields a <see cref="StoredEntry.Corrupted"/>
    /// placeholder under the key (its <see cref="StoredEntry.Corruption"/> names the file or row) and logs it;
    /// <see cref="IStateStorage.TryGet"/> returns the placeholder too. When the key itself cannot be recovered, the entry is
    /// logged, left out and listed in the driver's skipped entries. Writing the key again repairs it.</summary>
    Isolate,

    /// <summary><see cref="IStateStorage.ReadAll"/> and <see cref="IStateStorage.TryGet"/> throw a <see cref="StorageCorruptionException"/> naming the entry: one corrupt entry stops the whole load.</summary>
    Throw,

    /// <summary><see cref="IStateStorage.ReadAll"/> leaves the entry out, logs it, and keeps it in the driver's list of skipped entries; <see cref="IStateStorage.TryGet"/> throws.</summary>
    Skip,
}
