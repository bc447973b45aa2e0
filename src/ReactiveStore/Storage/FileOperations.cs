namespace ReactiveStore.Storage;

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
