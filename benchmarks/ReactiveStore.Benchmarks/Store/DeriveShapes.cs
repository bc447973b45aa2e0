using ReactiveStore.Signals;

namespace ReactiveStore.Benchmarks.Store;

/// <summary>The derivation chain and diamond of BENCHMARKS.md, built once on <see cref="StateStore.Derive{TSource, TResult}(string, string, Func{TSource, TResult})"/>
/// paths and once on the signal primitives, each observed at its end so it updates eagerly.</summary>
public sealed class DeriveShapes : IDisposable
{
    /// <summary>Links in the chain.</summary>
    public const int ChainLength = 10;

    /// <summary>Arms of the diamond.</summary>
    public const int Arms = 5;

    private readonly StateStore _store = new(new StateStoreOptions { DispatchMode = DispatchMode.Inline });
    private readonly List<IDisposable> _disposables = [];
    private readonly Signal<int> _chainHead = new(0);
    private readonly Computed<int> _chainTail;
    private readonly Signal<int> _diamondHead = new(0);
    private readonly Computed<int> _diamondSum;
    private int _observed;

    /// <summary>Builds both shapes on both engines.</summary>
    public DeriveShapes()
    {
        _store.Set("chain.n0", 0);
        for (int i = 1; i <= ChainLength; i++)
        {
            _disposables.Add(_store.Derive<int, int>($"chain.n{i}", $"chain.n{i - 1}", static v => v + 1));
        }

        _disposables.Add(_store.Subscribe($"chain.n{ChainLength}", this, static (e, self) => self._observed = e.GetValue<int>()));

        _store.Set("diamond.head", 0);
        var arms = new string[Arms];
        for (int i = 0; i < Arms; i++)
        {
            arms[i] = $"diamond.arm{i}";
            _disposables.Add(_store.Derive<int, int>(arms[i], "diamond.head", static v => v + 1));
        }

        _disposables.Add(_store.DeriveMany("diamond.sum", arms, static data =>
        {
            int sum = 0;
            for (int i = 0; i < Arms; i++)
            {
                sum += data.Get<int>(i);
            }

            return sum;
        }));
        _disposables.Add(_store.Subscribe("diamond.sum", this, static (e, self) => self._observed = e.GetValue<int>()));

        Computed<int> previous = new(() => _chainHead.Value);
        for (int i = 1; i <= ChainLength; i++)
        {
            Computed<int> input = previous;
            previous = new Computed<int>(() => input.Value + 1);
        }

        _chainTail = previous;
        _disposables.Add(new Effect(() => _observed = _chainTail.Value));

        var signalArms = new Computed<int>[Arms];
        for (int i = 0; i < Arms; i++)
        {
            signalArms[i] = new Computed<int>(() => _diamondHead.Value + 1);
        }

        _diamondSum = new Computed<int>(() =>
        {
            int sum = 0;
            foreach (Computed<int> arm in signalArms)
            {
                sum += arm.Value;
            }

            return sum;
        });
        _disposables.Add(new Effect(() => _observed = _diamondSum.Value));
    }

    /// <summary>Gets the last value an observer saw (keeps the work observable).</summary>
    public int Observed => _observed;

    /// <summary>Writes the chain's source path and reads its end.</summary>
    public int StoreChain(int value)
    {
        _store.Set("chain.n0", value);
        return _store.Get<int>("chain.n10");
    }

    /// <summary>Writes the chain's head signal and reads its end.</summary>
    public int SignalChain(int value)
    {
        _chainHead.Value = value;
        return _chainTail.Value;
    }

    /// <summary>Writes the diamond's source path and reads its sum.</summary>
    public int StoreDiamond(int value)
    {
        _store.Set("diamond.head", value);
        return _store.Get<int>("diamond.sum");
    }

    /// <summary>Writes the diamond's head signal and reads its sum.</summary>
    public int SignalDiamond(int value)
    {
        _diamondHead.Value = value;
        return _diamondSum.Value;
    }

    /// <summary>Disposes the derivations, subscriptions, effects and store.</summary>
    public void Dispose()
    {
        foreach (IDisposable disposable in _disposables)
        {
            disposable.Dispose();
        }

        _store.Dispose();
    }
}
