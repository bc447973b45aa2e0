using BenchmarkDotNet.Attributes;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>
/// An inline-dispatched <c>Set</c> that one subscriber receives, in a store with 1 versus 100,000 further subscriptions
/// that never match. The written path (<see cref="WrittenPath"/>) shares the <c>other</c> prefix with them, so matching
/// walks through the populated trie nodes (a 50,000-child node and a 50,000-child wildcard node) rather than
/// around them. With a trie index the ratio should stay near 1.
/// </summary>
[MemoryDiagnoser]
public class DispatchScalingBenchmarks
{
    public const string WrittenPath = "other.k.v";

    public const int ManyNonMatching = 100_000;

    private StoreFixture _one = null!;
    private StoreFixture _many = null!;

    [GlobalSetup]
    public void Setup()
    {
        _one = new StoreFixture(DispatchMode.Inline, subscribers: 1, nonMatchingSubscriptions: 1, WrittenPath);
        _many = new StoreFixture(DispatchMode.Inline, subscribers: 1, nonMatchingSubscriptions: ManyNonMatching, WrittenPath);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _one.Dispose();
        _many.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SetBenchmarks.Operations)]
    public long OneNonMatching() => _one.StoreSets(SetBenchmarks.Operations);

    [Benchmark(OperationsPerInvoke = SetBenchmarks.Operations)]
    public long HundredThousandNonMatching() => _many.StoreSets(SetBenchmarks.Operations);
}
