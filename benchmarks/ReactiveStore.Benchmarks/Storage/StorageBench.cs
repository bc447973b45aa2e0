using System.Globalization;
using System.Text;
using ReactiveStore.Storage;

namespace ReactiveStore.Benchmarks.Storage;

/// <summary>Opens a driver in a fresh temp folder and builds entries; deletes the folder on dispose.</summary>
public sealed class StorageBench : IDisposable
{
    private readonly string _directory;

    public StorageBench(StorageDriver driver)
    {
        Driver = driver;
        _directory = Path.Combine(Path.GetTempPath(), "rs-storage-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        Storage = driver switch
        {
            StorageDriver.InMemory => new InMemoryStorage(),
            StorageDriver.FileSystemFlushToDisk => new FileSystemStorage(Path.Combine(_directory, "state")),
            StorageDriver.FileSystemNoFlush => new FileSystemStorage(Path.Combine(_directory, "state"), new FileSystemStorageOptions { FlushToDisk = false }),
            StorageDriver.SqliteFull => new SqliteStorage(Path.Combine(_directory, "state.db")),
            StorageDriver.SqliteNormal => new SqliteStorage(Path.Combine(_directory, "state.db"), new SqliteStorageOptions { Synchronous = SqliteSynchronous.Normal }),
            StorageDriver.CachingOverFileSystem => new CachingStorage(new FileSystemStorage(Path.Combine(_directory, "state")), new CachingOptions()),
            _ => throw new ArgumentOutOfRangeException(nameof(driver)),
        };
    }

    public StorageDriver Driver { get; }

    public IStateStorage Storage { get; }

    /// <summary>A ~120-byte JSON object value with the given version.</summary>
    public static StoredEntry Entry(long version) => new(
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"id":{{version}},"name":"benchmark entry","tags":["a","b","c"],"score":12.5,"active":true,"pad":"xxxxxxxxxxxxxxxxxxxx"}""")),
        new EntryMetadata(version, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(version)) { ModifiedBy = "bench" });

    /// <summary>The key of entry <paramref name="i"/>: two levels, 10 folders.</summary>
    public static string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"bench.g{i % 10}.k{i}");

    public void Dispose()
    {
        Storage.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
