using BenchmarkDotNet.Attributes;
using ReactiveStore.Storage;

namespace ReactiveStore.Benchmarks.Storage;

/// <summary>
/// One write, a batch of <see cref="BatchSize"/> writes in one <see cref="IStateStorage.Write"/>, and one read, per driver.
/// The caching driver is measured with a <see cref="IStateStorage.Flush"/> after each write call, so its numbers include
/// reaching the inner driver (its unflushed write speed is the in-memory one).
/// </summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    public const int BatchSize = 100;
    private const int Keys = 1_000;

    private StorageBench _bench = null!;
    private StorageWrite[] _batch = [];
    private long _version;
    private int _next;

    [Params(StorageDriver.InMemory, StorageDriver.FileSystemFlushToDisk, StorageDriver.FileSystemNoFlush, StorageDriver.SqliteFull, StorageDriver.SqliteNormal, StorageDriver.CachingOverFileSystem)]
    public StorageDriver Driver { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = new StorageBench(Driver);
        var all = new StorageWrite[Keys];
        for (int i = 0; i < Keys; i++)
        {
            all[i] = new StorageWrite(StorageBench.Key(i), StorageBench.Entry(1));
        }

        _bench.Storage.Write(all);
        _bench.Storage.Flush();
        _batch = new StorageWrite[BatchSize];
        _version = 1;
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.Dispose();

    [Benchmark]
    public void WriteOne()
    {
        int i = _next++ % Keys;
        _bench.Storage.Write([new StorageWrite(StorageBench.Key(i), StorageBench.Entry(++_version))]);
        FlushIfBuffered();
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void WriteBatch()
    {
        long version = ++_version;
        for (int j = 0; j < BatchSize; j++)
        {
            _batch[j] = new StorageWrite(StorageBench.Key((_next + j) % Keys), StorageBench.Entry(version));
        }

        _next += BatchSize;
        _bench.Storage.Write(_batch);
        FlushIfBuffered();
    }

    [Benchmark]
    public bool ReadOne() => _bench.Storage.TryGet(StorageBench.Key(_next++ % Keys), out _);

    private void FlushIfBuffered()
    {
        if (Driver == StorageDriver.CachingOverFileSystem)
        {
            _bench.Storage.Flush();
        }
    }
}
