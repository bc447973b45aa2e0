namespace ReactiveStore.Storage;

/// <summary>The file-system changes <see cref="FileSystemStorage"/> makes and the syncs that make them durable: the seam the
/// power-loss tests replace with a model that keeps synced and unsynced state apart.</summary>
/// <remarks>Reads (listing, reading files) go to the file system directly; only changes and syncs go through here.</remarks>
internal interface IFileOperations
{
    /// <summary>Creates a folder and any missing parents.</summary>
    void CreateDirectory(string path);

    /// <summary>Creates a file that must not exist yet, writes <paramref name="content"/>, and fsyncs it when <paramref name="flushToDisk"/>.</summary>
    void WriteNewFile(string path, ReadOnlySpan<byte> content, bool flushToDisk);

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> (atomic replace).</summary>
    void Replace(string source, string destination);

    /// <summary>Deletes a file; a missing file is no error, a missing folder throws <see cref="DirectoryNotFoundException"/>.</summary>
    void DeleteFile(string path);

    /// <summary>Deletes an empty folder.</summary>
    void DeleteDirectory(string path);

    /// <summary>Fsyncs a folder, making the names created, renamed or removed in it durable.</summary>
    /// <returns>Whether the folder was synced (always <see langword="false"/> on Windows, which journals renames).</returns>
    bool FlushDirectory(string path);
}
