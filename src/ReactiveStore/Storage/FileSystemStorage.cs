using System.Text.Json;

namespace ReactiveStore.Storage;

/// <summary>A storage driver that keeps one JSON file per key in folders mirroring the key (<c>config/theme.json</c> for <c>config.theme</c>), readable and editable by hand.</summary>
/// <remarks>
/// <para>Every file holds <see cref="StoredEntryJson"/>'s document form. A key <c>a</c> and a key <c>a.b</c> coexist as
/// <c>a.json</c> and <c>a/b.json</c>. Keys follow the path grammar, so no key can name a file outside the folder.</para>
/// <para>Names are encoded so that every valid key works on every file system (docs/storage.md, "File names"): a capital
/// letter gets a <c>+</c> before it (<c>Theme</c> → <c>+Theme.json</c>, so <c>Theme</c> and <c>theme</c> stay two files
/// where names ignore case), a Windows device name gets a trailing <c>+</c> (<c>con+.json</c>), and a key too long to
/// mirror (a segment over 128 encoded characters, or over 512 in all) lives in <c>+long/&lt;hash&gt;.json</c> with the key
/// inside the file. Files from the layout of earlier versions are moved to the current one when the storage opens.</para>
/// <para>Each file is written atomically: a temp file in the same folder (<c>.&lt;guid&gt;.tmp</c>), flushed (fsync when
/// <see cref="FileSystemStorageOptions.FlushToDisk"/>), renamed over the target, then the folder is fsynced. A reader
/// sees the old file or the new one, never a mix. A <see cref="Write"/> of several keys applies them one after the
/// other and is <b>not</b> atomic across files: a crash in the middle leaves a prefix of the commit on disk (each file
/// whole), so a reader may see some keys of a batch at their new version and the rest at their old one.</para>
/// <para>Temp files left by a crash are deleted (and empty folders pruned) when the storage opens. One writer at a
/// time: the storage holds <c>.lock</c> in the folder open exclusively, across processes and instances, and a second
/// opener gets <see cref="StorageLockedException"/>. Thread-safe; operations are serialized.</para>
/// <para>A file that cannot be read is handled by <see cref="FileSystemStorageOptions.OnCorruptEntry"/>: by default
/// (<see cref="CorruptEntryPolicy.Isolate"/>) the other keys load and the key reads as a <see cref="StoredEntry.Corrupted"/>
/// placeholder naming the file.</para>
/// </remarks>
public sealed class FileSystemStorage : IStateStorage
{
    private const string Extension = ".json";
    private const string TempSuffix = ".tmp";
    private const string LockFileName = ".lock";

    private readonly Lock _lock = new();
    private readonly string _root;
    private readonly string _longKeys;
    private readonly FileSystemStorageOptions _options;
    private readonly IFileOperations _files;
    private readonly FileStream _lockFile;
    private IReadOnlyList<StorageCorruptionException> _skipped = [];
    private int _disposed;

    /// <summary>Opens (creating if needed) a file-system storage in <paramref name="directory"/>, flushing every write to disk.</summary>
    /// <param name="directory">The folder that holds the files.</param>
    /// <exception cref="StorageLockedException">Another process (or instance) has the folder open.</exception>
    public FileSystemStorage(string directory)
        : this(directory, new FileSystemStorageOptions())
    {
    }

    /// <summary>Opens (creating if needed) a file-system storage in <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder that holds the files.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="StorageLockedException">Another process (or instance) has the folder open.</exception>
    public FileSystemStorage(string directory, FileSystemStorageOptions options)
        : this(directory, options, FileOperations.Instance)
    {
    }

    /// <summary>Opens the storage over an explicit file-operations implementation (the power-loss tests' seam).</summary>
    internal FileSystemStorage(string directory, FileSystemStorageOptions options, IFileOperations files)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(files);
        _options = options;
        _files = files;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        _longKeys = Path.Combine(_root, StorageFileNames.LongKeysFolder);
        if (!System.IO.Directory.Exists(_root))
        {
            System.IO.Directory.CreateDirectory(_root);
            if (options.FlushToDisk && Path.GetDirectoryName(_root) is { } parent)
            {
                DirectorySync.Flush(parent);
            }
        }

        string lockPath = Path.Combine(_root, LockFileName);
        try
        {
            _lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new StorageLockedException(_root, lockPath, advice: null, ex);
        }

        try
        {
            Recover(_root, string.Empty, 0);
        }
        catch
        {
            _lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Gets the full path of the folder that holds the files.</summary>
    public string RootDirectory => _root;

    /// <summary>Gets the corrupt files the last <see cref="ReadAll"/> left out: all of them under <see cref="CorruptEntryPolicy.Skip"/>,
    /// those whose key cannot be recovered under <see cref="CorruptEntryPolicy.Isolate"/>.</summary>
    public IReadOnlyList<StorageCorruptionException> SkippedEntries => Volatile.Read(ref _skipped);

    /// <summary>Gets the file that holds <paramref name="key"/> (which need not exist).</summary>
    /// <param name="key">The key, a dotted path.</param>
    /// <returns>The full file path: mirrored folders and an encoded name, or <c>+long/&lt;hash&gt;.json</c> for a key too long to mirror.</returns>
    public string GetFilePath(string key)
    {
        StorageKeyGrammar.ThrowIfInvalid(key, nameof(key));
        return PathOf(key, out _);
    }

    /// <inheritdoc/>
    /// <remarks>Reads every file and returns the entries in ordinal key order. A file that cannot be read is handled by
    /// <see cref="FileSystemStorageOptions.OnCorruptEntry"/>: isolated as a <see cref="StoredEntry.Corrupted"/> entry naming
    /// the file (the default), thrown as <see cref="StorageCorruptionException"/>, or skipped; skipped files are logged and
    /// listed in <see cref="SkippedEntries"/>.</remarks>
    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll()
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            var keys = new List<string>();
            CollectKeys(_root, string.Empty, keys);
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
                catch (StorageCorruptionException ex)
                {
                    Isolate(ex, entries, ref skipped);
                }
            }

            foreach (string file in LongKeyFiles())
            {
                try
                {
                    if (TryReadLongFile(file, out string? key, out StoredEntry? entry))
                    {
                        entries.Add(new(key, entry));
                    }
                }
                catch (StorageCorruptionException ex)
                {
                    Isolate(ex, entries, ref skipped);
                }
            }

            entries.Sort(static (x, y) => string.CompareOrdinal(x.Key, y.Key));
            Volatile.Write(ref _skipped, skipped is null ? [] : skipped);
            return entries;
        }
    }

    /// <inheritdoc/>
    /// <remarks>A file that cannot be read comes back as a <see cref="StoredEntry.Corrupted"/> entry naming the file under
    /// <see cref="CorruptEntryPolicy.Isolate"/> (the default) and throws otherwise.</remarks>
    /// <exception cref="StorageCorruptionException">The key's file cannot be read and the policy is not <see cref="CorruptEntryPolicy.Isolate"/>; names the file and the key.</exception>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        StorageKeyGrammar.ThrowIfInvalid(key, nameof(key));
        lock (_lock)
        {
            ThrowIfDisposed();
            try
            {
                return TryRead(key, out entry);
            }
            catch (StorageCorruptionException ex) when (_options.OnCorruptEntry == CorruptEntryPolicy.Isolate)
            {
                entry = StoredEntry.Corrupted(ex);
                return true;
            }
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
            else if (StorageFileNames.RelativePath(prefix) is { } relative)
            {
                string folder = Path.Combine(_root, relative);
                if (File.Exists(folder + Extension))
                {
                    keys.Add(prefix);
                }

                CollectKeys(folder, prefix, keys);
            }

            // A key too long to mirror, and every key below it, lives in the long-keys folder.
            foreach (string file in LongKeyFiles())
            {
                if (TryPeekLongKey(file, out string? key) && StorageKeys.IsAtOrBelow(key, prefix))
                {
                    keys.Add(key);
                }
            }

            keys.Sort(StringComparer.Ordinal);
            return keys;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Each file is replaced atomically, in order; the commit as a whole is not atomic across files (see the type's remarks).
    /// Every key is validated and every entry serialized before anything is written.</remarks>
    /// <exception cref="InvalidPathException">A key is not a dotted path.</exception>
    /// <exception cref="ArgumentException">An entry cannot be stored exactly (a corrupted placeholder, a value that is not
    /// one JSON value, a lone UTF-16 surrogate, a null tag); names the key. Nothing is written.</exception>
    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var documents = new byte[]?[writes.Count];
        for (int i = 0; i < writes.Count; i++)
        {
            StorageWrite write = writes[i];
            StorageKeyGrammar.ThrowIfInvalid(write.Key, nameof(writes));
            StoredEntry.ThrowIfCorrupted(write.Key, write.Entry, nameof(writes));
            if (write.Entry is { } entry)
            {
                bool isLong = StorageFileNames.RelativePath(write.Key) is null;
                try
                {
                    documents[i] = StoredEntryJson.Serialize(entry, isLong ? write.Key : null);
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"The entry for key '{write.Key}' cannot be stored: {ex.Message}", nameof(writes), ex);
                }
            }
        }

        lock (_lock)
        {
            ThrowIfDisposed();
            for (int i = 0; i < writes.Count; i++)
            {
                string path = PathOf(writes[i].Key, out _);
                if (documents[i] is { } document)
                {
                    WriteFile(path, document);
                }
                else
                {
                    DeleteFile(path);
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

    private static string Join(string prefix, string segment) => prefix.Length == 0 ? segment : prefix + "." + segment;

    private string PathOf(string key, out bool isLong)
    {
        string? relative = StorageFileNames.RelativePath(key);
        isLong = relative is null;
        return relative is null
            ? Path.Combine(_longKeys, StorageFileNames.LongFileName(key, Extension))
            : Path.Combine(_root, relative) + Extension;
    }

    private void Isolate(StorageCorruptionException ex, List<KeyValuePair<string, StoredEntry>> entries, ref List<StorageCorruptionException>? skipped)
    {
        CorruptEntryPolicy policy = _options.OnCorruptEntry;
        if (policy == CorruptEntryPolicy.Throw)
        {
            throw ex;
        }

        if (policy == CorruptEntryPolicy.Isolate && ex.Key is { } key)
        {
            entries.Add(new(key, StoredEntry.Corrupted(ex)));
            if (_options.Logger is { } isolatedLogger)
            {
                StorageLog.IsolatedCorruptEntry(isolatedLogger, ex, key, ex.Location);
            }

            return;
        }

        (skipped ??= []).Add(ex);
        if (_options.Logger is { } logger)
        {
            StorageLog.SkippedCorruptEntry(logger, ex, ex.Key, ex.Location);
        }
    }

    private bool TryRead(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        string path = PathOf(key, out bool isLong);
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

        string? storedKey;
        try
        {
            entry = StoredEntryJson.Deserialize(bytes, out storedKey);
        }
        catch (JsonException ex)
        {
            string reason = bytes.Length == 0 ? "the file is empty" : ex.Message;
            throw new StorageCorruptionException(key, $"file '{path}'", reason, ex);
        }

        if (isLong && !string.Equals(storedKey, key, StringComparison.Ordinal))
        {
            throw new StorageCorruptionException(key, $"file '{path}'", storedKey is null
                ? "the file of a long key lacks its 'key' property"
                : $"the file holds the key '{storedKey}'");
        }

        return true;
    }

    private List<string> LongKeyFiles()
    {
        var files = new List<string>();
        try
        {
            foreach (string file in System.IO.Directory.EnumerateFiles(_longKeys, "*" + Extension))
            {
                if (StorageFileNames.IsLongFileStem(Path.GetFileNameWithoutExtension(file.AsSpan())))
                {
                    files.Add(file);
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }

        return files;
    }

    /// <summary>Reads a long key's file; the key comes from the file and must hash to its name.</summary>
    private static bool TryReadLongFile(string file, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (FileNotFoundException)
        {
            key = null;
            entry = null;
            return false;
        }

        string location = $"file '{file}'";
        try
        {
            entry = StoredEntryJson.Deserialize(bytes, out key);
        }
        catch (JsonException ex)
        {
            // The key is written first: a file damaged after it still names its key.
            string? recovered = TryPeekLongKey(file, bytes, out string? peeked) ? peeked : null;
            throw new StorageCorruptionException(recovered, location, bytes.Length == 0 ? "the file is empty" : ex.Message, ex);
        }

        if (key is null || !IsLongKeyOf(key, file))
        {
            throw new StorageCorruptionException(null, location, key is null
                ? "the file of a long key lacks its 'key' property"
                : $"its 'key' property ('{key}') is not a long key stored under this file name");
        }

        return true;
    }

    private static bool TryPeekLongKey(string file, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? key)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (FileNotFoundException)
        {
            key = null;
            return false;
        }

        return TryPeekLongKey(file, bytes, out key);
    }

    /// <summary>Reads only the leading <c>"key"</c> property of a long key's file (even if the rest is damaged).</summary>
    private static bool TryPeekLongKey(string file, ReadOnlySpan<byte> bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? key)
    {
        key = null;
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject
                && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("key"u8)
                && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                string candidate = reader.GetString()!;
                if (IsLongKeyOf(candidate, file))
                {
                    key = candidate;
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }

        return false;
    }

    private static bool IsLongKeyOf(string key, string file) =>
        PathGrammar.TryValidate(key, allowWildcards: false, out _, out _)
        && StorageFileNames.RelativePath(key) is null
        && string.Equals(StorageFileNames.LongFileName(key, Extension), Path.GetFileName(file), StringComparison.Ordinal);

    private void WriteFile(string path, byte[] content)
    {
        string directory = Path.GetDirectoryName(path)!;
        bool created = false;
        if (!System.IO.Directory.Exists(directory))
        {
            _files.CreateDirectory(directory);
            created = true;
        }

        // The temp name does not depend on the key, so it stays short however long the key's own name is.
        string temp = Path.Combine(directory, $".{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            _files.WriteNewFile(temp, content, _options.FlushToDisk);
            _files.Replace(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        if (_options.FlushToDisk)
        {
            _files.FlushDirectory(directory);
            if (created)
            {
                // New folders are durable only once each parent has recorded them, up to the root.
                for (string? dir = Path.GetDirectoryName(directory); dir is not null && dir.Length >= _root.Length; dir = Path.GetDirectoryName(dir))
                {
                    _files.FlushDirectory(dir);
                }
            }
        }
    }

    private void DeleteFile(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return;
            }

            _files.DeleteFile(path);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        string? directory = Path.GetDirectoryName(path);
        if (_options.FlushToDisk && directory is not null && System.IO.Directory.Exists(directory))
        {
            _files.FlushDirectory(directory);
        }

        // Prune the folders the delete left empty, up to (not including) the root.
        while (directory is not null && directory.Length > _root.Length && System.IO.Directory.Exists(directory) && !System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            _files.DeleteDirectory(directory);
            directory = Path.GetDirectoryName(directory);
            if (_options.FlushToDisk && directory is not null)
            {
                _files.FlushDirectory(directory);
            }
        }
    }

    /// <summary>Lists the mirrored keys in <paramref name="directory"/> and below: names that decode exactly, at the place their key maps to.</summary>
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
                if (StorageFileNames.TryDecodeSegment(name, out string? segment))
                {
                    CollectKeys(entry, Join(keyPrefix, segment), keys);
                }
            }
            else if (name.EndsWith(Extension, StringComparison.Ordinal)
                && StorageFileNames.TryDecodeSegment(name.AsSpan(0, name.Length - Extension.Length), out string? segment))
            {
                string key = Join(keyPrefix, segment);

                // Only a key short enough to be mirrored is read from here; a longer one lives in the long-keys folder.
                if (StorageFileNames.RelativePath(key) is not null && PathGrammar.TryValidate(key, allowWildcards: false, out _, out _))
                {
                    keys.Add(key);
                }
            }
        }
    }

    /// <summary>On open: deletes leftover temp files, moves files of an earlier layout to where their keys map now, and prunes empty folders.</summary>
    private void Recover(string directory, string keyPrefix, int depth)
    {
        foreach (string file in System.IO.Directory.GetFiles(directory))
        {
            string name = Path.GetFileName(file);
            if (IsTempFile(name))
            {
                if (_options.Logger is { } logger)
                {
                    StorageLog.DeletedTempFile(logger, file);
                }

                TryDelete(file);
            }
            else if (depth >= 0 && name.EndsWith(Extension, StringComparison.Ordinal)
                && TryDecodeAnyLayout(name.AsSpan(0, name.Length - Extension.Length), out string? segment))
            {
                string key = Join(keyPrefix, segment);
                if (PathGrammar.TryValidate(key, allowWildcards: false, out _, out _) && !string.Equals(PathOf(key, out _), file, StringComparison.Ordinal))
                {
                    MoveToCurrentLayout(file, key);
                }
            }
        }

        foreach (string sub in System.IO.Directory.GetDirectories(directory))
        {
            string name = Path.GetFileName(sub);
            if (depth == 0 && string.Equals(name, StorageFileNames.LongKeysFolder, StringComparison.Ordinal))
            {
                // Long keys' files are named by hash: only temp files are cleaned up there (depth -1: no keys).
                Recover(sub, string.Empty, -1);
            }
            else if (depth >= 0 && depth < PathGrammar.MaxSegments && TryDecodeAnyLayout(name, out string? segment))
            {
                Recover(sub, Join(keyPrefix, segment), depth + 1);
            }
        }

        if (!string.Equals(directory, _root, StringComparison.Ordinal) && !System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            _files.DeleteDirectory(directory);
        }
    }

    /// <summary>Decodes a name of the current layout, or of the earlier one (segments as they are: capitals unmarked, device names and long names unescaped).</summary>
    private static bool TryDecodeAnyLayout(ReadOnlySpan<char> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? segment)
    {
        if (StorageFileNames.TryDecodeSegment(name, out segment))
        {
            return true;
        }

        if (StorageKeyGrammar.IsSegment(name))
        {
            segment = name.ToString();
            return true;
        }

        return false;
    }

    private void MoveToCurrentLayout(string file, string key)
    {
        string target = PathOf(key, out bool isLong);
        if (string.Equals(target, file, StringComparison.OrdinalIgnoreCase))
        {
            // One file under two spellings (a file system that ignores case): it is where it belongs.
            return;
        }

        byte[] content = File.ReadAllBytes(file);
        if (File.Exists(target))
        {
            // A move interrupted by a crash leaves the same bytes in both places; anything else is kept for a person to decide.
            if (!content.AsSpan().SequenceEqual(File.ReadAllBytes(target)))
            {
                Log(file, $"the key '{key}' already has a different file in the current layout, '{target}'");
                return;
            }
        }
        else
        {
            if (isLong)
            {
                try
                {
                    content = StoredEntryJson.Serialize(StoredEntryJson.Deserialize(content), key);
                }
                catch (Exception ex) when (ex is JsonException or ArgumentException)
                {
                    Log(file, $"its key '{key}' is too long to mirror and the file cannot be read to move it into '{StorageFileNames.LongKeysFolder}': {ex.Message}");
                    return;
                }
            }

            WriteFile(target, content);
        }

        // Not DeleteFile: the walk in progress prunes the folders this leaves empty once it has left them.
        _files.DeleteFile(file);
        if (_options.FlushToDisk)
        {
            _files.FlushDirectory(Path.GetDirectoryName(file)!);
        }

        if (_options.Logger is { } logger)
        {
            StorageLog.MovedToCurrentLayout(logger, file, target);
        }

        void Log(string path, string reason)
        {
            if (_options.Logger is { } leftLogger)
            {
                StorageLog.LeftInPlace(leftLogger, path, reason);
            }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            _files.DeleteFile(path);
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
