using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>
/// <c>StateStore.Set</c> of an int with 0, 1 and 10 subscribers on the written path, inline and background dispatch,
/// against a <see cref="ConcurrentDictionary{TKey, TValue}"/> set of a boxed int plus one delegate call per subscriber.
/// Each invocation does <see cref="Operations"/> writes with alternating values (so no write is skipped as equal);
/// with background dispatch it then waits for delivery, so the number includes running the callbacks.
/// </summary>
[MemoryDiagnoser]
public class SetBenchmarks
{
    public const int Operations = 1_000;

    private StoreFixture _fixture = null!;

    [Params(DispatchMode.Inline, DispatchMode.Background)]
    public DispatchMode Dispatch { get; set; }

    [Params(0, 1, 10)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup() => _fixture = new StoreFixture(Dispatch, Subscribers);

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public int DictionarySetAndDelegates() => _fixture.BaselineSets(Operations);

    [Benchmark(OperationsPerInvoke = Operations)]
    public long StoreSet() => _fixture.StoreSets(Operations);
}
