using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ReactiveStore.Storage;

/// <summary>A storage driver over one SQLite file in WAL mode: every <see cref="Write"/> is one transaction, atomic across keys.</summary>
/// <remarks>
/// <para>Schema (version <see cref="SchemaVersion"/>, kept in <c>PRAGMA user_version</c>; <c>PRAGMA application_id</c> is
/// <see cref="ApplicationId"/>): one table <c>entries(key TEXT PRIMARY KEY, value BLOB, metadata TEXT, version INTEGER,
/// updated_at TEXT, expires_at TEXT) WITHOUT ROWID</c>. <c>value</c> is the value's UTF-8 JSON, <c>metadata</c> the JSON
/// object <see cref="StoredEntryJson.WriteMetadata"/> writes; the other columns copy metadata fields for queries.</para>
/// <para>Durability when <see cref="Write"/> returns: with <see cref="SqliteSynchronous.Full"/> (the default) the commit
/// survives a process crash and power loss; with <see cref="SqliteSynchronous.Normal"/> it survives a process crash, and
/// power loss may roll back the latest commits (never tear one). <see cref="Flush"/> under Normal runs a WAL checkpoint,
/// which syncs everything committed before it.</para>
/// <para>One writer: the store keeps versions in memory, so two writers on one file would overwrite each other. A writable
/// storage holds <c>&lt;database&gt;.lock</c> open exclusively (an OS lock: across processes and across instances in one
/// process) until it is disposed; a second writer gets <see cref="StorageLockedException"/> naming the file. Readers open
/// with <see cref="SqliteStorageOptions.ReadOnly"/> beside the writer and see its commits.</para>
/// <para>Thread-safe: one connection behind a lock, with prepared commands reused. A row that cannot be read is handled by
/// <see cref="SqliteStorageOptions.OnCorruptEntry"/>: by default the other rows load and its key reads as a
/// <see cref="StoredEntry.Corrupted"/> entry naming the row.</para>
/// </remarks>
public sealed class SqliteStorage : IStateStorage
{
    /// <summary>The schema version this driver reads and writes (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    /// <summary>The <c>PRAGMA application_id</c> marking a ReactiveStore database ('RSST').</summary>
    public const int ApplicationId = 0x52535354;

    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteStorageOptions _options;
    private readonly FileStream? _writerLock;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand? _upsert;
    private readonly SqliteCommand? _delete;
    private readonly SqliteCommand _keysAll;
    private readonly SqliteCommand _keysBelow;
    private readonly SqliteCommand _readAll;
    private IReadOnlyList<StorageCorruptionException> _skipped = [];
    private int _disposed;

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/> for writing, syncing every commit (<see cref="SqliteSynchronous.Full"/>).</summary>
    /// <param name="databasePath">The database file.</param>
    /// <exception cref="StorageLockedException">Another process (or storage in this process) has the file open for writing.</exception>
    public SqliteStorage(string databasePath)
        : this(databasePath, new SqliteStorageOptions())
    {
    }

    /// <summary>Opens the database at <paramref name="databasePath"/>: for writing (creating it if needed), or read-only with <see cref="SqliteStorageOptions.ReadOnly"/>.</summary>
    /// <param name="databasePath">The database file.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="StorageLockedException">Opening for writing, and another process (or storage in this process) has the file open for writing.</exception>
    /// <exception cref="FileNotFoundException">Opening read-only, and the file does not exist.</exception>
    /// <exception cref="InvalidOperationException">The file is another application's database, has a newer schema, cannot use WAL, or (read-only) has no schema yet.</exception>
    public SqliteStorage(string databasePath, SqliteStorageOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        DatabasePath = Path.GetFullPath(databasePath);
        if (options.ReadOnly)
        {
            if (!File.Exists(DatabasePath))
            {
                throw new FileNotFoundException($"The SQLite database '{DatabasePath}' does not exist; a read-only storage never creates it.", DatabasePath);
            }
        }
        else
        {
            _writerLock = AcquireWriterLock(DatabasePath);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        _connection = new SqliteConnection(builder.ToString());
        try
        {
            _connection.Open();
            Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};"));
            if (options.ReadOnly)
            {
                CheckSchema(readOnly: true);
            }
            else
            {
                string? mode = Scalar("PRAGMA journal_mode = WAL;") as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"The SQLite database '{DatabasePath}' cannot use WAL (journal mode is '{mode}').");
                }

                Execute(options.Synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
                CheckSchema(readOnly: false);
                _upsert = Prepare(
                    "INSERT INTO entries (key, value, metadata, version, updated_at, expires_at) VALUES ($key, $value, $metadata, $version, $updated, $expires) " +
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value, metadata = excluded.metadata, version = excluded.version, updated_at = excluded.updated_at, expires_at = excluded.expires_at;",
                    "$key",
                    "$value",
                    "$metadata",
                    "$version",
                    "$updated",
                    "$expires");
                _delete = Prepare("DELETE FROM entries WHERE key = $key;", "$key");
            }

            _get = Prepare("SELECT value, metadata FROM entries WHERE key = $key;", "$key");
            _keysAll = Prepare("SELECT key FROM entries ORDER BY key;");

            // '/' is the character after '.': the range holds exactly the keys starting with prefix + '.'.
            _keysBelow = Prepare("SELECT key FROM entries WHERE key = $p OR (key >= $p || '.' AND key < $p || '/') ORDER BY key;", "$p");
            _readAll = Prepare("SELECT key, value, metadata, typeof(key) FROM entries ORDER BY key;");
        }
        catch
        {
            _connection.Dispose();
            _writerLock?.Dispose();
            throw;
        }
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets whether the database was opened read-only (<see cref="SqliteStorageOptions.ReadOnly"/>).</summary>
    public bool IsReadOnly => _options.ReadOnly;

    /// <summary>Gets the lock file a writable storage holds open exclusively (<c>&lt;database&gt;.lock</c>).</summary>
    public string LockFilePath => DatabasePath + ".lock";

    /// <summary>Gets the corrupt rows the last <see cref="ReadAll"/> left out: all of them under <see cref="CorruptEntryPolicy.Skip"/>,
    /// rows whose key cannot be read under <see cref="CorruptEntryPolicy.Isolate"/>.</summary>
    public IReadOnlyList<StorageCorruptionException> SkippedEntries => Volatile.Read(ref _skipped);

    /// <inheritdoc/>
    /// <remarks>Returns the entries in ordinal key order. A row that cannot be read is handled by
    /// <see cref="SqliteStorageOptions.OnCorruptEntry"/>: isolated as a <see cref="StoredEntry.Corrupted"/> entry naming the
    /// row (the default), thrown as <see cref="StorageCorruptionException"/>, or skipped; skipped rows (and, when isolating,
    /// rows whose key is not text) are logged and listed in <see cref="SkippedEntries"/>.</remarks>
    public IEnumerable<KeyValuePair<string, StoredEntry>> ReadAll()
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            var entries = new List<KeyValuePair<string, StoredEntry>>();
            List<StorageCorruptionException>? skipped = null;
            using (SqliteDataReader reader = _readAll.ExecuteReader())
            {
                while (reader.Read())
                {
                    try
                    {
                        if (!string.Equals(reader.GetString(3), "text", StringComparison.Ordinal))
                        {
                            throw new StorageCorruptionException(null, $"table 'entries', a row whose key is {reader.GetString(3)}, not text", "the key cannot be read");
                        }

                        string key = reader.GetString(0);
                        entries.Add(new(key, ReadEntry(key, reader, 1)));
                    }
                    catch (StorageCorruptionException ex)
                    {
                        switch (_options.OnCorruptEntry)
                        {
                            case CorruptEntryPolicy.Throw:
                                throw;
                            case CorruptEntryPolicy.Isolate when ex.Key is { } key:
                                entries.Add(new(key, StoredEntry.Corrupted(ex)));
                                if (_options.Logger is { } isolatedLogger)
                                {
                                    SqliteLog.IsolatedCorruptEntry(isolatedLogger, ex, key, ex.Location);
                                }

                                break;
                            default:
                                (skipped ??= []).Add(ex);
                                if (_options.Logger is { } logger)
                                {
                                    SqliteLog.SkippedCorruptEntry(logger, ex, ex.Key, ex.Location);
                                }

                                break;
                        }
                    }
                }
            }

            Volatile.Write(ref _skipped, skipped is null ? [] : skipped);
            entries.Sort(static (x, y) => string.CompareOrdinal(x.Key, y.Key));
            return entries;
        }
    }

    /// <inheritdoc/>
    /// <remarks>A row that cannot be read comes back as a <see cref="StoredEntry.Corrupted"/> entry naming the row under
    /// <see cref="CorruptEntryPolicy.Isolate"/> (the default) and throws otherwise.</remarks>
    /// <exception cref="StorageCorruptionException">The key's row cannot be read and the policy is not <see cref="CorruptEntryPolicy.Isolate"/>; names the key.</exception>
    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StoredEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            ThrowIfDisposed();
            _get.Parameters[0].Value = key;
            using SqliteDataReader reader = _get.ExecuteReader();
            if (!reader.Read())
            {
                entry = null;
                return false;
            }

            try
            {
                entry = ReadEntry(key, reader, 0);
            }
            catch (StorageCorruptionException ex) when (_options.OnCorruptEntry == CorruptEntryPolicy.Isolate)
            {
                entry = StoredEntry.Corrupted(ex);
            }

            return true;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Keys(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_lock)
        {
            ThrowIfDisposed();
            SqliteCommand command = _keysAll;
            if (prefix.Length != 0)
            {
                command = _keysBelow;
                command.Parameters[0].Value = prefix;
            }

            var keys = new List<string>();
            using (SqliteDataReader reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    keys.Add(reader.GetString(0));
                }
            }

            // SQLite orders by UTF-8 bytes; .NET's ordinal order is by UTF-16 code units. They differ only beyond the BMP.
            keys.Sort(StringComparer.Ordinal);
            return keys;
        }
    }

    /// <inheritdoc/>
    /// <remarks>One transaction: either every write of the list is committed or none is, also across a crash. Every entry is
    /// checked and its metadata serialized before the transaction begins.</remarks>
    /// <exception cref="InvalidOperationException">The storage was opened read-only.</exception>
    /// <exception cref="ArgumentException">An entry cannot be stored exactly (a corrupted placeholder, a lone UTF-16
    /// surrogate in the key or the metadata, a null tag); names the key. Nothing is written.</exception>
    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var metadataJson = new string?[writes.Count];
        for (int i = 0; i < writes.Count; i++)
        {
            StorageWrite write = writes[i];
            ArgumentNullException.ThrowIfNull(write.Key, nameof(writes));
            if (write.Entry is { Corruption: { } corruption })
            {
                throw new ArgumentException($"The entry for key '{write.Key}' is a corrupted placeholder read from storage ({corruption.Message}); it cannot be written. Write a readable entry to repair the key.", nameof(writes));
            }

            if (HasLoneSurrogate(write.Key))
            {
                throw new ArgumentException($"The key '{write.Key}' holds a lone UTF-16 surrogate; SQLite stores text as UTF-8 and would replace it with U+FFFD.", nameof(writes));
            }

            if (write.Entry is { } entry)
            {
                try
                {
                    metadataJson[i] = MetadataJson(entry.Metadata);
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
            if (_upsert is null || _delete is null)
            {
                throw new InvalidOperationException($"The SQLite storage on '{DatabasePath}' was opened read-only (SqliteStorageOptions.ReadOnly); it cannot write.");
            }

            if (writes.Count == 0)
            {
                return;
            }

            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            _upsert.Transaction = transaction;
            _delete.Transaction = transaction;
            try
            {
                for (int i = 0; i < writes.Count; i++)
                {
                    StorageWrite write = writes[i];
                    if (write.Entry is not { } entry)
                    {
                        _delete.Parameters[0].Value = write.Key;
                        _delete.ExecuteNonQuery();
                        continue;
                    }

                    EntryMetadata metadata = entry.Metadata;
                    SqliteParameterCollection p = _upsert.Parameters;
                    p[0].Value = write.Key;
                    p[1].Value = entry.ValueJson.ToArray();
                    p[2].Value = metadataJson[i];
                    p[3].Value = metadata.Version;
                    p[4].Value = metadata.UpdatedAt.ToString("O", CultureInfo.InvariantCulture);
                    p[5].Value = metadata.ExpiresAt is { } expires ? expires.ToString("O", CultureInfo.InvariantCulture) : DBNull.Value;
                    _upsert.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            finally
            {
                _upsert.Transaction = null;
                _delete.Transaction = null;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Under <see cref="SqliteSynchronous.Full"/> every commit is durable already and this does nothing; under
    /// <see cref="SqliteSynchronous.Normal"/> it checkpoints the WAL, syncing every commit made before it.</remarks>
    public void Flush()
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!_options.ReadOnly && _options.Synchronous == SqliteSynchronous.Normal)
            {
                Execute("PRAGMA wal_checkpoint(FULL);");
            }
        }
    }

    /// <summary>Closes the database (checkpointing the WAL into the main file when it is the last connection) and releases the writer lock.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_lock)
        {
            _get.Dispose();
            _upsert?.Dispose();
            _delete?.Dispose();
            _keysAll.Dispose();
            _keysBelow.Dispose();
            _readAll.Dispose();
            _connection.Dispose();
            _writerLock?.Dispose();
        }
    }

    /// <summary>Reads a PRAGMA from the live connection (the durability tests assert what the modes promise).</summary>
    internal object? ReadPragma(string name)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterLower(c) && c != '_')
            {
                throw new ArgumentException($"'{name}' is not a PRAGMA name.", nameof(name));
            }
        }

        lock (_lock)
        {
            ThrowIfDisposed();
            return Scalar($"PRAGMA {name};");
        }
    }

    private static FileStream AcquireWriterLock(string databasePath)
    {
        // FileShare.None is an OS lock (flock on Linux and macOS, a sharing mode on Windows): a second writer fails here,
        // in another process or in this one, and the lock goes away with the process however it ends.
        string lockPath = databasePath + ".lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new StorageLockedException(databasePath, lockPath, "To read beside it, open with SqliteStorageOptions.ReadOnly.", ex);
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string MetadataJson(EntryMetadata metadata)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            StoredEntryJson.WriteMetadata(writer, metadata);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static StoredEntry ReadEntry(string key, SqliteDataReader reader, int firstColumn)
    {
        string location = $"table 'entries', key '{key}'";
        if (reader.IsDBNull(firstColumn) || reader.IsDBNull(firstColumn + 1))
        {
            throw new StorageCorruptionException(key, location, "the value or the metadata is NULL");
        }

        byte[] value = reader.GetFieldValue<byte[]>(firstColumn);
        string metadataText = reader.GetString(firstColumn + 1);
        try
        {
            // The value must be one complete JSON value: a torn or hand-edited row fails here, not in the store.
            var json = new Utf8JsonReader(value);
            if (!json.Read())
            {
                throw new JsonException("The value is empty.");
            }

            json.Skip();
            if (json.Read())
            {
                throw new JsonException("The value has content after its JSON value.");
            }

            using JsonDocument metadata = JsonDocument.Parse(metadataText);
            if (metadata.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("The metadata is not a JSON object.");
            }

            return new StoredEntry(value, StoredEntryJson.ReadMetadata(metadata.RootElement));
        }
        catch (JsonException ex)
        {
            throw new StorageCorruptionException(key, location, ex.Message, ex);
        }
    }

    private void CheckSchema(bool readOnly)
    {
        long version = Convert.ToInt64(Scalar("PRAGMA user_version;"), CultureInfo.InvariantCulture);
        long application = Convert.ToInt64(Scalar("PRAGMA application_id;"), CultureInfo.InvariantCulture);
        if (application != 0 && application != ApplicationId)
        {
            throw new InvalidOperationException($"The SQLite database '{DatabasePath}' belongs to another application (application_id {application}).");
        }

        if (version == 0 && readOnly)
        {
            throw new InvalidOperationException($"The SQLite database '{DatabasePath}' has no ReactiveStore schema yet; a read-only storage never creates it (open it for writing once).");
        }

        if (version == 0)
        {
            long tables = Convert.ToInt64(Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table';"), CultureInfo.InvariantCulture);
            if (tables != 0)
            {
                throw new InvalidOperationException($"The SQLite database '{DatabasePath}' holds tables but no ReactiveStore schema version; it is not a ReactiveStore database.");
            }

            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            using (SqliteCommand create = _connection.CreateCommand())
            {
                create.Transaction = transaction;
                create.CommandText =
                    "CREATE TABLE entries (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL, metadata TEXT NOT NULL, " +
                    "version INTEGER NOT NULL, updated_at TEXT NOT NULL, expires_at TEXT) WITHOUT ROWID;" +
                    string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {SchemaVersion};");
                create.ExecuteNonQuery();
            }

            transaction.Commit();
            return;
        }

        if (version != SchemaVersion)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"The SQLite database '{DatabasePath}' has schema version {version}; this driver reads version {SchemaVersion}."));
        }

        try
        {
            Execute("SELECT key, value, metadata, version, updated_at, expires_at FROM entries LIMIT 0;");
        }
        catch (SqliteException ex)
        {
            throw new InvalidOperationException($"The SQLite database '{DatabasePath}' says schema version {SchemaVersion} but its 'entries' table does not match: {ex.Message}", ex);
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
