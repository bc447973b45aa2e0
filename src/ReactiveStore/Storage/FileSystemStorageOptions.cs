using Microsoft.Extensions.Logging;

namespace ReactiveStore.Storage;

/// <summary>Configuration of a <see cref="FileSystemStorage"/>.</summary>
public sealed record FileSystemStorageOptions
{
    /// <summary>Gets whether every write is flushed to the disk (fsync of the file and its folder) before <see cref="IStateStorage.Write"/> returns (default <see langword="true"/>).</summary>
    /// <remarks>On: a write that returned survives power loss. Off: it survives a process crash (the OS holds it) but not power loss.</remarks>
    public bool FlushToDisk { get; init; } = true;

    /// <summary>Gets what <see cref="FileSystemStorage.ReadAll"/> and <see cref="FileSystemStorage.TryGet"/> do with a file they cannot read
    /// (default <see cref="CorruptEntryPolicy.Isolate"/>: the rest loads, the key reads as a corrupted entry naming the file).</summary>
    public CorruptEntryPolicy OnCorruptEntry { get; init; } = CorruptEntryPolicy.Isolate;

    /// <summary>Gets the logger for isolated and skipped corrupt files, cleaned-up temp files and files moved from an earlier layout; <see langword="null"/> logs nowhere.</summary>
    public ILogger? Logger { get; init; }
}
