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
/// <para>Thread-safe: one connection behind a lock, with prepared commands reused. Other processes may open the same file
/// (WAL allows readers beside one writer; writers wait up to <see cref="SqliteStorageOptions.BusyTimeout"/>).</para>
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
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _keysAll;
    private readonly SqliteCommand _keysBelow;
    private readonly SqliteCommand _readAll;
    private IReadOnlyList<StorageCorruptionException> _skipped = [];
    private int _disposed;

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/>, syncing every commit (<see cref="SqliteSynchronous.Full"/>).</summary>
    /// <param name="databasePath">The database file.</param>
    public SqliteStorage(string databasePath)
        : this(databasePath, new SqliteStorageOptions())
    {
    }

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The database file.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="InvalidOperationException">The file is another application's database, has a newer schema, or cannot use WAL.</exception>
    public SqliteStorage(string databasePath, SqliteStorageOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        DatabasePath = Path.GetFullPath(databasePath);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        _connection = new SqliteConnection(builder.ToString());
        try
        {
            _connection.Open();
            Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};"));
            string? mode = Scalar("PRAGMA journal_mode = WAL;") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The SQLite database '{DatabasePath}' cannot use WAL (journal mode is '{mode}').");
            }

            Execute(options.Synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            EnsureSchema();
            _get = Prepare("SELECT value, metadata FROM entries WHERE key = $key;", "$key");
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
            _keysAll = Prepare("SELECT key FROM entries ORDER BY key;");

            // '/' is the character after '.': the range holds exactly the keys starting with prefix + '.'.
            _keysBelow = Prepare("SELECT key FROM entries WHERE key = $p OR (key >= $p || '.' AND key < $p || '/') ORDER BY key;", "$p");
            _readAll = Prepare("SELECT key, value, metadata FROM entries ORDER BY key;");
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets the corrupt rows the last <see cref="ReadAll"/> left out under <see cref="CorruptEntryPolicy.Skip"/>.</summary>
    public IReadOnlyList<StorageCorruptionException> SkippedEntries => Volatile.Read(ref _skipped);

    /// <inheritdoc/>
    /// <remarks>Returns the entries in ordinal key order. A row that cannot be read throws <see cref="StorageCorruptionException"/>
    /// naming its key (the default) or, with <see cref="CorruptEntryPolicy.Skip"/>, is left out, logged and listed in <see cref="SkippedEntries"/>.</remarks>
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
                    string key = reader.GetString(0);
                    try
                    {
                        entries.Add(new(key, ReadEntry(key, reader, 1)));
                    }
                    catch (StorageCorruptionException ex) when (_options.OnCorruptEntry == CorruptEntryPolicy.Skip)
                    {
                        (skipped ??= []).Add(ex);
                        if (_options.Logger is { } logger)
                        {
                            SqliteLog.SkippedCorruptEntry(logger, ex, ex.Key, ex.Location);
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
    /// <exception cref="StorageCorruptionException">The key's row cannot be read; names the key.</exception>
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

            entry = ReadEntry(key, reader, 0);
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
    /// <remarks>One transaction: either every write of the list is committed or none is, also across a crash.</remarks>
    public void Write(IReadOnlyList<StorageWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        for (int i = 0; i < writes.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(writes[i].Key, nameof(writes));
        }

        lock (_lock)
        {
            ThrowIfDisposed();
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
                    p[2].Value = MetadataJson(metadata);
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
            if (_options.Synchronous == SqliteSynchronous.Normal)
            {
                Execute("PRAGMA wal_checkpoint(FULL);");
            }
        }
    }

    /// <summary>Closes the database (checkpointing the WAL into the main file).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_lock)
        {
            _get.Dispose();
            _upsert.Dispose();
            _delete.Dispose();
            _keysAll.Dispose();
            _keysBelow.Dispose();
            _readAll.Dispose();
            _connection.Dispose();
        }
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

    private void EnsureSchema()
    {
        long version = Convert.ToInt64(Scalar("PRAGMA user_version;"), CultureInfo.InvariantCulture);
        long application = Convert.ToInt64(Scalar("PRAGMA application_id;"), CultureInfo.InvariantCulture);
        if (application != 0 && application != ApplicationId)
        {
            throw new InvalidOperationException($"The SQLite database '{DatabasePath}' belongs to another application (application_id {application}).");
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
