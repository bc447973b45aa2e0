using System.Text.Json;

namespace ReactiveStore.Storage;

/// <summary>A storage driver that keeps one JSON file per key in folders mirroring the key (<c>config/theme.json</c> for <c>config.theme</c>), readable and editable by hand.</summary>
/// <remarks>
/// <para>Every file holds <see cref="StoredEntryJson"/>'s document form. A key <c>a</c> and a key <c>a.b</c> coexist as
/// <c>a.json</c> and <c>a/b.json</c>. Keys follow the path grammar, so no key can name a file outside the folder.</para>
/// <para>Each file is written atomically: a temp file in the same folder (<c>.name.json.*.tmp</c>), flushed (fsync when
/// <see cref="FileSystemStorageOptions.FlushToDisk"/>), renamed over the target, then the folder is fsynced. A reader
/// sees the old file or the new one, never a mix. A <see cref="Write"/> of several keys applies them one after the
/// other and is <b>not</b> atomic across files: a crash in the middle leaves a prefix of the commit on disk (each file
/// whole), so a reader may see some keys of a batch at their new version and the rest at their old one.</para>
/// <para>Temp files left by a crash are deleted (and empty folders pruned) when the storage opens. One process at a
/// time: the storage holds <c>.lock</c> in the folder open exclusively. Thread-safe; operations are serialized.</para>
/// <para>On case-insensitive file systems (Windows, macOS by default) keys differing only by case share a file, and
/// Windows' reserved names (<c>CON</c>, <c>NUL</c>…) cannot be used as segments.</para>
/// </remarks>
public sealed class FileSystemStorage : IStateStorage
{
    private const string Extension = ".json";
    private const string TempSuffix = ".tmp";
    private const string LockFileName = ".lock";

    private readonly Lock _lock = new();
    private readonly string _root;
    private readonly FileSystemStorageOptions _options;
    private readonly FileStream _lockFile;
    private IReadOnlyList<StorageCorruptionException> _skipped = [];
    private int _disposed;

    /// <summary>Opens (creating if needed) a file-system storage in <paramref name="directory"/>, flushing every write to disk.</summary>
    /// <param name="directory">The folder that holds the files.</param>
    public FileSystemStorage(string directory)
        : this(directory, new FileSystemStorageOptions())
    {
    }

    /// <summary>Opens (creating if needed) a file-system storage in <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder that holds the files.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="IOException">Another process (or instance) has the folder open.</exception>
    public FileSystemStorage(string directory, FileSystemStorageOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _root = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(_root);
        string lockPath = Path.Combine(_root, LockFileName);
        try
        {
            _lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The storage folder '{_root}' is already open (in this or another process): '{lockPath}' is locked.", ex);
        }

        CleanUp(_root, isRoot: true);
    }

    /// <summary>Gets the full path of the folder that holds the files.</summary>
    public string RootDirectory => _root;

    /// <summary>Gets the corrupt files the last <see cref="ReadAll"/> left out under <see cref="CorruptEntryPolicy.Skip"/>.</summary>
    public IReadOnlyList<StorageCorruptionException> SkippedEntries => Volatile.Read(ref _skipped);

    /// <summary>Gets the file that holds <paramref name="key"/> (which need not exist).</summary>
    /// <param name="key">The key, a dotted path.</param>
    /// <returns>The full file path.</returns>
    public string GetFilePath(string key)
    {
        StorageKeyGrammar.ThrowIfInvalid(key, nameof(key));
        return PathOf(key);
    }

    /// <inheritdoc/>
    /// <remarks>Reads every file. A file that cannot be read throws <see cref="StorageCorruptionException"/> naming the
    /// file and its key (with <see cref="CorruptEntryPolicy.Throw"/>, the default) or is left out, logged and listed in
    /// <see cref="SkippedEntries"/> (with <see cref="CorruptEntryPolicy.Skip"/>). Returns the entries in ordinal key order.</remarks>
    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll()
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            var keys = new List<string>();
            CollectKeys(_root, string.Empty, keys);
            keys.Sort(StringComparer.Ordinal);
            var entries = new List<KeyValuePair<string, StoredEntry>>(keys.Count);
            List<StorageCorruptionException>? skipped = null;
            foreach (string key in keys)
            {
                try
                {
                    if (TryRead(key, out StoredEntry? entry))
                    {
                        entries.Add(new(key, entry));
                    }
                }
                catch (StorageCorruptionException ex) when (_options.OnCorruptEntry == CorruptEntryPolicy.Skip)
                {
                    (skipped ??= []).Add(ex);
                    if (_options.Logger is { } logger)
                    {
                        StorageLog.SkippedCorruptEntry(logger, ex, ex.Key, ex.Location);
                    }
                }
            }

            Volatile.Write(ref _skipped, skipped is null ? [] : skipped);
            return entries;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="StorageCorruptionException">The key's file cannot be read; names the file and the key.</exception>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        StorageKeyGrammar.ThrowIfInvalid(key, nameof(key));
        lock (_lock)
        {
            ThrowIfDisposed();
            return TryRead(key, out entry);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Keys(string prefix)
    {
        StorageKeyGrammar.ThrowIfInvalidPrefix(prefix, nameof(prefix));
        lock (_lock)
        {
            ThrowIfDisposed();
            var keys = new List<string>();
            if (prefix.Length == 0)
            {
                CollectKeys(_root, string.Empty, keys);
            }
            else
            {
                string path = PathOf(prefix);
                if (File.Exists(path))
                {
                    keys.Add(prefix);
                }

                CollectKeys(path[..^Extension.Length], prefix, keys);
            }

            keys.Sort(StringComparer.Ordinal);
            return keys;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Each file is replaced atomically, in order; the commit as a whole is not atomic across files (see the type's remarks).
    /// Every key is validated before anything is written.</remarks>
    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        for (int i = 0; i < writes.Count; i++)
        {
            StorageKeyGrammar.ThrowIfInvalid(writes[i].Key, nameof(writes));
        }

        lock (_lock)
        {
            ThrowIfDisposed();
            for (int i = 0; i < writes.Count; i++)
            {
                StorageWrite write = writes[i];
                if (write.Entry is null)
                {
                    DeleteFile(PathOf(write.Key));
                }
                else
                {
                    WriteFile(PathOf(write.Key), StoredEntryJson.Serialize(write.Entry));
                }
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Write-through: every write is as durable as <see cref="FileSystemStorageOptions.FlushToDisk"/> makes it when <see cref="Write"/> returns, so this does nothing more.</remarks>
    public void Flush()
    {
        ThrowIfDisposed();
    }

    /// <summary>Releases the folder's lock file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_lock)
            {
                _lockFile.Dispose();
            }
        }
    }

    private static bool IsTempFile(string name) => name.StartsWith('.') && name.EndsWith(TempSuffix, StringComparison.Ordinal);

    private string PathOf(string key) => Path.Combine(_root, key.Replace('.', Path.DirectorySeparatorChar)) + Extension;

    private bool TryRead(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        string path = PathOf(key);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            entry = null;
            return false;
        }

        try
        {
            entry = StoredEntryJson.Deserialize(bytes);
            return true;
        }
        catch (JsonException ex)
        {
            string reason = bytes.Length == 0 ? "the file is empty" : ex.Message;
            throw new StorageCorruptionException(key, $"file '{path}'", reason, ex);
        }
    }

    private void WriteFile(string path, byte[] content)
    {
        string directory = Path.GetDirectoryName(path)!;
        bool created = false;
        if (!System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
            created = true;
        }

        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: _options.FlushToDisk);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        if (_options.FlushToDisk)
        {
            DirectorySync.Flush(directory);
            if (created)
            {
                // New folders are durable only once each parent has recorded them, up to the root.
                for (string? dir = Path.GetDirectoryName(directory); dir is not null && dir.Length >= _root.Length; dir = Path.GetDirectoryName(dir))
                {
                    DirectorySync.Flush(dir);
                }
            }
        }
    }

    private void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        string? directory = Path.GetDirectoryName(path);
        if (_options.FlushToDisk && directory is not null && System.IO.Directory.Exists(directory))
        {
            DirectorySync.Flush(directory);
        }

        // Prune the folders the delete left empty, up to (not including) the root.
        while (directory is not null && directory.Length > _root.Length && System.IO.Directory.Exists(directory) && !System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            System.IO.Directory.Delete(directory);
            directory = Path.GetDirectoryName(directory);
            if (_options.FlushToDisk && directory is not null)
            {
                DirectorySync.Flush(directory);
            }
        }
    }

    private static void CollectKeys(string directory, string keyPrefix, List<string> keys)
    {
        IEnumerable<string> entries;
        try
        {
            entries = System.IO.Directory.EnumerateFileSystemEntries(directory);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (string entry in entries)
        {
            string name = Path.GetFileName(entry);
            if (System.IO.Directory.Exists(entry))
            {
                if (StorageKeyGrammar.IsSegment(name))
                {
                    CollectKeys(entry, keyPrefix.Length == 0 ? name : keyPrefix + "." + name, keys);
                }
            }
            else if (name.EndsWith(Extension, StringComparison.Ordinal) && StorageKeyGrammar.IsSegment(name.AsSpan(0, name.Length - Extension.Length)))
            {
                string segment = name[..^Extension.Length];
                keys.Add(keyPrefix.Length == 0 ? segment : keyPrefix + "." + segment);
            }
        }
    }

    private void CleanUp(string directory, bool isRoot)
    {
        foreach (string file in System.IO.Directory.EnumerateFiles(directory))
        {
            if (IsTempFile(Path.GetFileName(file)))
            {
                if (_options.Logger is { } logger)
                {
                    StorageLog.DeletedTempFile(logger, file);
                }

                TryDelete(file);
            }
        }

        foreach (string sub in System.IO.Directory.EnumerateDirectories(directory))
        {
            if (StorageKeyGrammar.IsSegment(Path.GetFileName(sub)))
            {
                CleanUp(sub, isRoot: false);
            }
        }

        if (!isRoot && !System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            System.IO.Directory.Delete(directory);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
