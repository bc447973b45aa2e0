namespace ReactiveStore;

/// <summary>How durable each <see cref="FileJournal.Append"/> is when it returns.</summary>
public enum FileJournalDurability
{
    /// <summary>Every append is fsynced to the disk before it returns: it survives a crash of the process and a power loss
    /// (as far as the disk honours fsync). The default; costs one fsync per commit group.</summary>
    FsyncEachAppend,

    /// <summary>Every append is handed to the operating system before it returns (one write call, no buffering in the
    /// process): it survives a crash of the process (even SIGKILL), but a power loss or an OS crash can lose the last
    /// appends, or leave the last line cut off (which the journal then drops as a torn write).</summary>
    Flush,
}
