using Microsoft.Extensions.Logging;

namespace ReactiveStore.Storage;

/// <summary>Configuration of a <see cref="FileSystemStorage"/>.</summary>
public sealed record FileSystemStorageOptions
{
    /// <summary>Gets whether every write is flushed to the disk (fsync of the file and its folder) before <see cref="IStateStorage.Write"/> returns (default <see langword="true"/>).</summary>
    /// <remarks>On: a write that returned survives power loss. Off: it survives a process crash (the OS holds it) but not power loss.</remarks>
    public bool FlushToDisk { get; init; } = true;

    /// <summary>Gets what <see cref="FileSystemStorage.ReadAll"/> does with a file it cannot read (default <see cref="CorruptEntryPolicy.Throw"/>).</summary>
    public CorruptEntryPolicy OnCorruptEntry { get; init; } = CorruptEntryPolicy.Throw;

    /// <summary>Gets the logger for skipped corrupt files and cleaned-up temp files; <see langword="null"/> logs nowhere.</summary>
    public ILogger? Logger { get; init; }
}
