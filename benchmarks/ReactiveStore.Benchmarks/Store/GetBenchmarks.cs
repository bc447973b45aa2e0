using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace ReactiveStore.Benchmarks.Store;

/// <summary><c>StateStore.Get&lt;int&gt;</c> of a stored int against reading and unboxing it from a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/>. Subscribers and dispatch mode do not affect reads, so there are no parameters.</summary>
[MemoryDiagnoser]
public class GetBenchmarks
{
    private StoreFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = new StoreFixture(DispatchMode.Inline, subscribers: 0);

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = SetBenchmarks.Operations)]
    public int DictionaryGet() => _fixture.BaselineGets(SetBenchmarks.Operations);

    [Benchmark(OperationsPerInvoke = SetBenchmarks.Operations)]
    public int StoreGet() => _fixture.StoreGets(SetBenchmarks.Operations);
}
