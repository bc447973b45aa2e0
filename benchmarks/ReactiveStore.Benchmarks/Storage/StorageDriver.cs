using ReactiveStore.Storage;

namespace ReactiveStore.Benchmarks.Storage;

/// <summary>The driver configurations the storage benchmarks compare.</summary>
public enum StorageDriver
{
    /// <summary><see cref="InMemoryStorage"/>.</summary>
    InMemory,

    /// <summary><see cref="FileSystemStorage"/> with fsync (power-loss durable).</summary>
    FileSystemFlushToDisk,

    /// <summary><see cref="FileSystemStorage"/> without fsync (process-crash durable).</summary>
    FileSystemNoFlush,

    /// <summary><see cref="SqliteStorage"/>, synchronous FULL (power-loss durable).</summary>
    SqliteFull,

    /// <summary><see cref="SqliteStorage"/>, synchronous NORMAL (process-crash durable).</summary>
    SqliteNormal,

    /// <summary><see cref="CachingStorage"/> over a flushing <see cref="FileSystemStorage"/>, flushed only when asked.</summary>
    CachingOverFileSystem,
}
