using System.Collections.Concurrent;
using ReactiveStore;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>
/// One store with <c>n</c> subscribers on the written path, and the floor it is compared with: a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> of boxed values and <c>n</c> delegates called after each write.
/// Shared by the BenchmarkDotNet classes and the quick runner so both measure exactly the same code.
/// </summary>
public sealed class StoreFixture : IDisposable
{
    /// <summary>The path written when no other is given.</summary>
    public const string DefaultPath = "bench.counter";

    private readonly ConcurrentDictionary<string, object> _dictionary = new(StringComparer.Ordinal);
    private readonly Action<object>[] _delegates;
    private readonly List<Subscription> _subscriptions = [];
    private readonly bool _background;
    private int _next;

    /// <param name="dispatch">The store's dispatch mode.</param>
    /// <param name="subscribers">How many subscribers (and baseline delegates) the written path has.</param>
    /// <param name="nonMatchingSubscriptions">How many further subscriptions the store has that never match the
    /// written path: alternately <c>other.s{i}</c> and <c>other.*.x{i}</c>.</param>
    /// <param name="path">The path written and read.</param>
    /// <param name="subscribedSelector">What the <paramref name="subscribers"/> subscribe to; <see langword="null"/> for
    /// <paramref name="path"/> itself (an ancestor makes every event bubble).</param>
    public StoreFixture(DispatchMode dispatch, int subscribers, int nonMatchingSubscriptions = 0, string path = DefaultPath, string? subscribedSelector = null)
    {
        Path = path;
        _background = dispatch == DispatchMode.Background;
        Store = new StateStore(new StateStoreOptions { DispatchMode = dispatch });
        Store.Set(Path, 0);
        _dictionary[Path] = 0;

        for (int i = 0; i < nonMatchingSubscriptions; i++)
        {
            // Half exact paths, half wildcard patterns, none of which match Path.
            string selector = (i & 1) == 0 ? $"other.s{i}" : $"other.*.x{i}";
            _subscriptions.Add(Store.Subscribe(selector, this, static (_, self) => self.Received++));
        }

        _delegates = new Action<object>[subscribers];
        for (int i = 0; i < subscribers; i++)
        {
            _subscriptions.Add(Store.Subscribe(subscribedSelector ?? Path, this, static (_, self) => self.Received++));
            _delegates[i] = _ => BaselineReceived++;
        }
    }

    public StateStore Store { get; }

    /// <summary>Gets the path written and read.</summary>
    public string Path { get; }

    /// <summary>Gets the number of store callbacks run (by any subscription, matching or not).</summary>
    public long Received { get; private set; }

    /// <summary>Gets the number of baseline delegate calls, so none can be optimized away.</summary>
    public long BaselineReceived { get; private set; }

    /// <summary>Gets the number of <c>Set</c> calls made by <see cref="StoreSets"/>.</summary>
    public long StoreSetCount { get; private set; }

    /// <summary>Gets the number of subscribers on the written path.</summary>
    public int Subscribers => _delegates.Length;

    /// <summary>Writes a boxed int into the dictionary and calls every delegate, <paramref name="operations"/> times.</summary>
    public int BaselineSets(int operations)
    {
        ConcurrentDictionary<string, object> dictionary = _dictionary;
        Action<object>[] delegates = _delegates;
        string path = Path;
        int next = _next;
        for (int i = 0; i < operations; i++)
        {
            object boxed = ++next & 1;
            dictionary[path] = boxed;
            for (int d = 0; d < delegates.Length; d++)
            {
                delegates[d](boxed);
            }
        }

        _next = next;
        return next;
    }

    /// <summary>Sets the int at <see cref="Path"/> <paramref name="operations"/> times with alternating values, then
    /// (background dispatch) waits until every event was delivered.</summary>
    public long StoreSets(int operations)
    {
        StateStore store = Store;
        string path = Path;
        int next = _next;
        for (int i = 0; i < operations; i++)
        {
            store.Set(path, ++next & 1);
        }

        _next = next;
        StoreSetCount += operations;
        if (_background)
        {
            store.FlushAsync().GetAwaiter().GetResult();
        }

        return Received;
    }

    /// <summary>Reads the boxed int at <see cref="Path"/> from the dictionary <paramref name="operations"/> times.</summary>
    public int BaselineGets(int operations)
    {
        ConcurrentDictionary<string, object> dictionary = _dictionary;
        string path = Path;
        int sum = 0;
        for (int i = 0; i < operations; i++)
        {
            sum += dictionary.TryGetValue(path, out object? value) ? (int)value : 0;
        }

        return sum;
    }

    /// <summary>Reads the int at <see cref="Path"/> <paramref name="operations"/> times.</summary>
    public int StoreGets(int operations)
    {
        StateStore store = Store;
        string path = Path;
        int sum = 0;
        for (int i = 0; i < operations; i++)
        {
            sum += store.Get<int>(path);
        }

        return sum;
    }

    public void Dispose()
    {
        foreach (Subscription subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        Store.Dispose();
    }
}
