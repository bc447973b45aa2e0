using ReactiveStore.Storage;

namespace ReactiveStore.Tests.Storage;

/// <summary>The conformance suite on <see cref="InMemoryStorage"/>.</summary>
public sealed class InMemoryStorageConformanceTests : StorageConformanceTests
{
    protected override bool IsDurable => false;

    protected override IStateStorage Open() => new InMemoryStorage();
}

/// <summary>The conformance suite on <see cref="FileSystemStorage"/> in a temp folder, flushing to disk.</summary>
public sealed class FileSystemStorageConformanceTests : StorageConformanceTests
{
    private readonly string _directory = StorageTestSupport.NewTempDirectory();

    protected override IStateStorage Open() => new FileSystemStorage(_directory);

    public override void Dispose()
    {
        StorageTestSupport.DeleteDirectory(_directory);
        base.Dispose();
    }
}

/// <summary>The conformance suite on <see cref="SqliteStorage"/> over a real temp file.</summary>
public sealed class SqliteStorageConformanceTests : StorageConformanceTests
{
    private readonly string _directory = StorageTestSupport.NewTempDirectory();

    protected override IStateStorage Open() => new SqliteStorage(Path.Combine(_directory, "state.db"));

    public override void Dispose()
    {
        StorageTestSupport.DeleteDirectory(_directory);
        base.Dispose();
    }
}

/// <summary>The conformance suite on a <see cref="HybridStorage"/> mixing drivers: a file-system root, SQLite at <c>a.b</c>, a second folder at <c>t1</c>.</summary>
/// <remarks>The suite's keys <c>a</c>, <c>a.b</c>, <c>a.b.c</c>, <c>ab</c> and <c>t1.*</c> cross the mounts.</remarks>
public sealed class HybridStorageConformanceTests : StorageConformanceTests
{
    private readonly string _directory = StorageTestSupport.NewTempDirectory();

    protected override IStateStorage Open()
    {
        var hybrid = new HybridStorage(new FileSystemStorage(Path.Combine(_directory, "root")));
        hybrid.Mount("a.b", new SqliteStorage(Path.Combine(_directory, "ab.db")));
        hybrid.Mount("t1", new FileSystemStorage(Path.Combine(_directory, "t1"), new FileSystemStorageOptions { FlushToDisk = false }));
        return hybrid;
    }

    public override void Dispose()
    {
        StorageTestSupport.DeleteDirectory(_directory);
        base.Dispose();
    }
}

/// <summary>The conformance suite on a <see cref="CachingStorage"/> over a <see cref="FileSystemStorage"/>, flushing on deletes and on dispose only.</summary>
public sealed class CachingStorageConformanceTests : StorageConformanceTests
{
    private readonly string _directory = StorageTestSupport.NewTempDirectory();

    protected override IStateStorage Open() =>
        new CachingStorage(new FileSystemStorage(_directory), new CachingOptions { FlushOnDelete = true, FlushInterval = TimeSpan.FromMilliseconds(50) });

    public override void Dispose()
    {
        StorageTestSupport.DeleteDirectory(_directory);
        base.Dispose();
    }
}
