using System.Collections.Generic;
using ReactiveStore.Signals;

namespace ReactiveStore.Benchmarks.SignalShapes;

/// <summary>The cellx shape: <c>layers</c> layers of 4 computeds, each observed by an effect.</summary>
internal sealed class CellxShape : System.IDisposable
{
    private readonly Signal<int> _s1 = new(1);
    private readonly Signal<int> _s2 = new(2);
    private readonly Signal<int> _s3 = new(3);
    private readonly Signal<int> _s4 = new(4);
    private readonly Computed<int> _e1;
    private readonly Computed<int> _e2;
    private readonly Computed<int> _e3;
    private readonly Computed<int> _e4;
    private readonly List<Effect> _effects = [];

    public CellxShape(int layers, bool withEffects = true)
    {
        // The first layer reads the signals; every later one reads the previous layer's computeds.
        var p1 = new Computed<int>(() => _s2.Value);
        var p2 = new Computed<int>(() => _s1.Value - _s3.Value);
        var p3 = new Computed<int>(() => _s2.Value + _s4.Value);
        var p4 = new Computed<int>(() => _s3.Value);
        Observe(p1, p2, p3, p4, withEffects);
        for (int i = 1; i < layers; i++)
        {
            Computed<int> m1 = p1, m2 = p2, m3 = p3, m4 = p4;
            p1 = new Computed<int>(() => m2.Value);
            p2 = new Computed<int>(() => m1.Value - m3.Value);
            p3 = new Computed<int>(() => m2.Value + m4.Value);
            p4 = new Computed<int>(() => m3.Value);
            Observe(p1, p2, p3, p4, withEffects);
        }

        _e1 = p1;
        _e2 = p2;
        _e3 = p3;
        _e4 = p4;
    }

    public int EffectRuns { get; private set; }

    /// <summary>The timed pass: read the ends, batch-write the start, read the ends again.</summary>
    public (int[] Before, int[] After) Pass(int v1, int v2, int v3, int v4)
    {
        int[] before = [_e1.Value, _e2.Value, _e3.Value, _e4.Value];
        ReactiveStore.Signals.Signals.Batch((Shape: this, v1, v2, v3, v4), static s =>
        {
            s.Shape._s1.Value = s.v1;
            s.Shape._s2.Value = s.v2;
            s.Shape._s3.Value = s.v3;
            s.Shape._s4.Value = s.v4;
        });
        int[] after = [_e1.Value, _e2.Value, _e3.Value, _e4.Value];
        return (before, after);
    }

    public void Dispose()
    {
        foreach (Effect effect in _effects)
        {
            effect.Dispose();
        }
    }

    private void Observe(Computed<int> p1, Computed<int> p2, Computed<int> p3, Computed<int> p4, bool withEffects)
    {
        if (withEffects)
        {
            _effects.Add(new Effect(() => { _ = p1.Value; EffectRuns++; }));
            _effects.Add(new Effect(() => { _ = p2.Value; EffectRuns++; }));
            _effects.Add(new Effect(() => { _ = p3.Value; EffectRuns++; }));
            _effects.Add(new Effect(() => { _ = p4.Value; EffectRuns++; }));
        }
    }
}

/// <summary>Hand-written cellx floor: plain arrays, recomputed layer by layer, effects as direct calls.</summary>
internal sealed class FloorCellx
{
    private readonly int[] _p1;
    private readonly int[] _p2;
    private readonly int[] _p3;
    private readonly int[] _p4;
    private int _s1 = 1, _s2 = 2, _s3 = 3, _s4 = 4;

    public FloorCellx(int layers)
    {
        _p1 = new int[layers];
        _p2 = new int[layers];
        _p3 = new int[layers];
        _p4 = new int[layers];
        Recompute(notify: false);
    }

    public int EffectRuns { get; private set; }

    public (int[] Before, int[] After) Pass(int v1, int v2, int v3, int v4)
    {
        int last = _p1.Length - 1;
        int[] before = [_p1[last], _p2[last], _p3[last], _p4[last]];
        _s1 = v1;
        _s2 = v2;
        _s3 = v3;
        _s4 = v4;
        Recompute(notify: true);
        int[] after = [_p1[last], _p2[last], _p3[last], _p4[last]];
        return (before, after);
    }

    private void Recompute(bool notify)
    {
        int m1 = _s1, m2 = _s2, m3 = _s3, m4 = _s4;
        for (int i = 0; i < _p1.Length; i++)
        {
            int n1 = m2, n2 = m1 - m3, n3 = m2 + m4, n4 = m3;
            if (notify)
            {
                if (n1 != _p1[i]) { Effect(); }
                if (n2 != _p2[i]) { Effect(); }
                if (n3 != _p3[i]) { Effect(); }
                if (n4 != _p4[i]) { Effect(); }
            }

            _p1[i] = m1 = n1;
            _p2[i] = m2 = n2;
            _p3[i] = m3 = n3;
            _p4[i] = m4 = n4;
        }
    }

    private void Effect() => EffectRuns++;
}
