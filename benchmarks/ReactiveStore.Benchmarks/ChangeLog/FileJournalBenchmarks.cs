using System.Text;
using BenchmarkDotNet.Attributes;

namespace ReactiveStore.Benchmarks.ChangeLog;

/// <summary>
/// The cost per record of <see cref="FileJournal.Append"/>: a commit group of <see cref="GroupSize"/> sets (a ~120-byte
/// value with tags and author) per call, with each durability. Results are per record (OperationsPerInvoke); they include
/// building the <see cref="ChangeRecord"/> objects, which is small next to serializing and writing them.
/// Run: <c>dotnet run -c Release --project benchmarks/ReactiveStore.Benchmarks -- --filter *FileJournalBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class FileJournalBenchmarks
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly EventOrigin s_origin = new(4242, 7, null);
    private readonly StatePath[] _paths = Enumerable.Range(0, 64).Select(i => StatePath.Parse("cart.items.k" + i)).ToArray();
    private string _dir = string.Empty;
    private FileJournal _journal = null!;
    private ChangeRecord[] _group = [];
    private byte[] _value = [];
    private EntryMetadata _metadata = null!;
    private long _version;

    /// <summary>Gets or sets the durability measured.</summary>
    [Params(FileJournalDurability.FsyncEachAppend, FileJournalDurability.Flush)]
    public FileJournalDurability Durability { get; set; }

    /// <summary>Gets or sets how many changes one append (one commit group) carries.</summary>
    [Params(1, 16)]
    public int GroupSize { get; set; }

    /// <summary>Opens a journal in a fresh temp folder.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "rs-journal-bench", Guid.NewGuid().ToString("N"));
        _journal = new FileJournal(Path.Combine(_dir, "journal.jsonl"), new FileJournalOptions { Durability = Durability });
        _group = new ChangeRecord[GroupSize];
        _value = Encoding.UTF8.GetBytes("{\"sku\":\"A-1042\",\"name\":\"" + new string('n', 60) + "\",\"qty\":3,\"price\":19.5}");
        _metadata = new EntryMetadata(1, s_t0, s_t0) { Tags = ["cart"], ModifiedBy = "bench" };
        _version = 0;
    }

    /// <summary>Closes the journal and deletes its folder.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _journal.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>One append of a group; reported per record.</summary>
    [Benchmark(OperationsPerInvoke = 16)]
    public long Append()
    {
        // 16 records per invocation whatever the group size, so both sizes report per record on the same scale.
        long mark = 0;
        for (int done = 0; done < 16; done += GroupSize)
        {
            for (int i = 0; i < GroupSize; i++)
            {
                long version = ++_version;
                _group[i] = new ChangeRecord(version, StateEventType.Set, _paths[version % _paths.Length], _value, _metadata, s_t0, s_origin, ChangeCause.Write);
            }

            mark = _journal.Append(_group);
        }

        return mark;
    }
}
