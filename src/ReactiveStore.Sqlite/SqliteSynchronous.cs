namespace ReactiveStore.Storage;

/// <summary>SQLite's <c>PRAGMA synchronous</c> setting for a <see cref="SqliteStorage"/>: how much a returned write survives.</summary>
public enum SqliteSynchronous
{
    /// <summary>The WAL is synced only at checkpoints: a returned write survives a process crash; power loss may roll back the last commits (the file stays consistent).</summary>
    Normal,

    /// <summary>The WAL is synced on every commit: a returned write survives a process crash and power loss (the default).</summary>
    Full,
}
