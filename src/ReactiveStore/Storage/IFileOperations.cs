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

/// <summary>The real file system behind <see cref="IFileOperations"/>.</summary>
internal sealed class FileOperations : IFileOperations
{
    /// <summary>The one instance.</summary>
    public static readonly FileOperations Instance = new();

    private FileOperations()
    {
    }

    /// <inheritdoc/>
    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <inheritdoc/>
    public void WriteNewFile(string path, ReadOnlySpan<byte> content, bool flushToDisk)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        stream.Write(content);
        stream.Flush(flushToDisk);
    }

    /// <inheritdoc/>
    public void Replace(string source, string destination) => File.Move(source, destination, overwrite: true);

    /// <inheritdoc/>
    public void DeleteFile(string path) => File.Delete(path);

    /// <inheritdoc/>
    public void DeleteDirectory(string path) => Directory.Delete(path);

    /// <inheritdoc/>
    public bool FlushDirectory(string path) => DirectorySync.Flush(path);
}
