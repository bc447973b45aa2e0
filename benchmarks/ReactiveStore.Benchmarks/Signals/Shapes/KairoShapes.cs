using System.Collections.Generic;
using ReactiveStore.Signals;

namespace ReactiveStore.Benchmarks.SignalShapes;

internal sealed class DeepPropagationShape : SignalShape
{
    private const int Length = 50;
    private readonly Signal<int> _head = new(0);
    private readonly Computed<int> _tail;
    private readonly Effect _effect;

    public DeepPropagationShape()
    {
        Computed<int>? current = null;
        for (int i = 0; i < Length; i++)
        {
            Computed<int>? previous = current;
            current = previous is null
                ? new Computed<int>(() => { ComputedEvaluations++; return _head.Value + 1; })
                : new Computed<int>(() => { ComputedEvaluations++; return previous.Value + 1; });
        }

        _tail = current!;
        _effect = new Effect(() => { _ = _tail.Value; EffectRuns++; });
    }

    public override string Name => "deepPropagation";

    public override void Iter()
    {
        Write(_head, 1);
        int start = EffectRuns;
        for (int i = 0; i < Length; i++)
        {
            Write(_head, i);
            Check(_tail.Value == Length + i, Name, "tail");
        }

        Check(EffectRuns - start == Length, Name, "effect count");
    }

    protected override void Dispose(bool disposing)
    {
        _effect.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class BroadPropagationShape : SignalShape
{
    private const int Width = 50;
    private readonly Signal<int> _head = new(0);
    private readonly Computed<int> _last;
    private readonly List<Effect> _effects = [];

    public BroadPropagationShape()
    {
        Computed<int>? last = null;
        for (int i = 0; i < Width; i++)
        {
            int offset = i;
            var a = new Computed<int>(() => { ComputedEvaluations++; return _head.Value + offset; });
            var b = new Computed<int>(() => { ComputedEvaluations++; return a.Value + 1; });
            _effects.Add(new Effect(() => { _ = b.Value; EffectRuns++; }));
            last = b;
        }

        _last = last!;
    }

    public override string Name => "broadPropagation";

    public override void Iter()
    {
        Write(_head, 1);
        int start = EffectRuns;
        for (int i = 0; i < Width; i++)
        {
            Write(_head, i);
            Check(_last.Value == i + Width, Name, "last");
        }

        Check(EffectRuns - start == Width * Width, Name, "effect count");
    }

    protected override void Dispose(bool disposing)
    {
        foreach (Effect effect in _effects)
        {
            effect.Dispose();
        }

        base.Dispose(disposing);
    }
}

internal sealed class DiamondShape : SignalShape
{
    private const int Width = 5;
    private readonly Signal<int> _head = new(0);
    private readonly Computed<int> _sum;
    private readonly Effect _effect;

    public DiamondShape()
    {
        var arms = new Computed<int>[Width];
        for (int i = 0; i < Width; i++)
        {
            arms[i] = new Computed<int>(() => { ComputedEvaluations++; return _head.Value + 1; });
        }

        _sum = new Computed<int>(() =>
        {
            ComputedEvaluations++;
            int sum = 0;
            foreach (Computed<int> arm in arms)
            {
                sum += arm.Value;
            }

            return sum;
        });
        _effect = new Effect(() => { _ = _sum.Value; EffectRuns++; });
    }

    public override string Name => "diamond";

    public override void Iter()
    {
        Write(_head, 1);
        Check(_sum.Value == 2 * Width, Name, "sum after head=1");
        int start = EffectRuns;
        for (int i = 0; i < 500; i++)
        {
            Write(_head, i);
            Check(_sum.Value == (i + 1) * Width, Name, "sum");
        }

        Check(EffectRuns - start == 500, Name, "effect count");
    }

    protected override void Dispose(bool disposing)
    {
        _effect.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class TriangleShape : SignalShape
{
    private const int Width = 10;
    private readonly Signal<int> _head = new(0);
    private readonly Computed<int> _sum;
    private readonly Effect _effect;

    public TriangleShape()
    {
        // list = [head, c1 .. c9]; a 10th computed is created but never read.
        var list = new System.Func<int>[Width];
        System.Func<int> current = () => _head.Value;
        for (int i = 0; i < Width; i++)
        {
            System.Func<int> previous = current;
            list[i] = previous;
            var next = new Computed<int>(() => { ComputedEvaluations++; return previous() + 1; });
            current = () => next.Value;
        }

        _sum = new Computed<int>(() =>
        {
            ComputedEvaluations++;
            int sum = 0;
            foreach (System.Func<int> read in list)
            {
                sum += read();
            }

            return sum;
        });
        _effect = new Effect(() => { _ = _sum.Value; EffectRuns++; });
    }

    public override string Name => "triangle";

    public override void Iter()
    {
        Write(_head, 1);
        Check(_sum.Value == 55, Name, "sum after head=1");
        int start = EffectRuns;
        for (int i = 0; i < 100; i++)
        {
            Write(_head, i);
            Check(_sum.Value == 45 + (10 * i), Name, "sum");
        }

        Check(EffectRuns - start == 100, Name, "effect count");
    }

    protected override void Dispose(bool disposing)
    {
        _effect.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class MuxShape : SignalShape
{
    private const int Count = 100;
    private readonly Signal<int>[] _heads = new Signal<int>[Count];
    private readonly Computed<int>[] _outputs = new Computed<int>[Count];
    private readonly List<Effect> _effects = [];

    public MuxShape()
    {
        for (int i = 0; i < Count; i++)
        {
            _heads[i] = new Signal<int>(0);
        }

        var mux = new Computed<int[]>(() =>
        {
            ComputedEvaluations++;
            var values = new int[Count]; // a fresh object every time: never equal to the previous one
            for (int i = 0; i < Count; i++)
            {
                values[i] = _heads[i].Value;
            }

            return values;
        });
        for (int i = 0; i < Count; i++)
        {
            int index = i;
            var pick = new Computed<int>(() => { ComputedEvaluations++; return mux.Value[index]; });
            var output = new Computed<int>(() => { ComputedEvaluations++; return pick.Value + 1; });
            _outputs[i] = output;
            _effects.Add(new Effect(() => { _ = output.Value; EffectRuns++; }));
        }
    }

    public override string Name => "mux";

    public override void Iter()
    {
        for (int i = 0; i < 10; i++)
        {
            Write(_heads[i], i);
            Check(_outputs[i].Value == i + 1, Name, "output");
        }

        for (int i = 0; i < 10; i++)
        {
            Write(_heads[i], i * 2);
            Check(_outputs[i].Value == (i * 2) + 1, Name, "output doubled");
        }
    }

    protected override void Dispose(bool disposing)
    {
        foreach (Effect effect in _effects)
        {
            effect.Dispose();
        }

        base.Dispose(disposing);
    }
}

internal sealed class RepeatedObserversShape : SignalShape
{
    private const int Size = 30;
    private readonly Signal<int> _head = new(0);
    private readonly Computed<int> _current;
    private readonly Effect _effect;

    public RepeatedObserversShape()
    {
        _current = new Computed<int>(() =>
        {
            ComputedEvaluations++;
            int result = 0;
            for (int i = 0; i < Size; i++)
            {
                result += _head.Value; // the same source read 30 times: one edge
            }

            return result;
        });
        _effect = new Effect(() => { _ = _current.Value; EffectRuns++; });
    }

    public override string Name => "repeatedObservers";

    public override void Iter()
    {
        Write(_head, 1);
        Check(_current.Value == Size, Name, "current after head=1");
        int start = EffectRuns;
        for (int i = 0; i < 100; i++)
        {
            Write(_head, i);
            Check(_current.Value == i * Size, Name, "current");
        }

        Check(EffectRuns - start == 100, Name, "effect count");
    }

    protected override void Dispose(bool disposing)
    {
        _effect.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class UnstableShape : SignalShape
{
    private readonly Signal<int> _head = new(0);
    private readonly Computed<int> _current;
    private readonly Effect _effect;

    public UnstableShape()
    {
        var doubled = new Computed<int>(() => { ComputedEvaluations++; return _head.Value * 2; });
        var inverse = new Computed<int>(() => { ComputedEvaluations++; return -_head.Value; });
        _current = new Computed<int>(() =>
        {
            ComputedEvaluations++;
            int result = 0;
            for (int i = 0; i < 20; i++)
            {
                result += _head.Value % 2 != 0 ? doubled.Value : inverse.Value;
            }

            return result;
        });
        _effect = new Effect(() => { _ = _current.Value; EffectRuns++; });
    }

    public override string Name => "unstable";

    public override void Iter()
    {
        Write(_head, 1);
        Check(_current.Value == 40, Name, "current after head=1");
        int start = EffectRuns;
        for (int i = 0; i < 100; i++)
        {
            Write(_head, i);
            Check(_current.Value == (i % 2 != 0 ? i * 40 : i * -20), Name, "current");
        }

        Check(EffectRuns - start == 100, Name, "effect count");
    }

    protected override void Dispose(bool disposing)
    {
        _effect.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class AvoidablePropagationShape : SignalShape
{
    private readonly Signal<int> _head = new(0);
    private readonly Computed<int> _c5;
    private readonly Effect _effect;

    public AvoidablePropagationShape()
    {
        var c1 = new Computed<int>(() => { ComputedEvaluations++; return _head.Value; });
        var c2 = new Computed<int>(() => { ComputedEvaluations++; _ = c1.Value; return 0; });
        var c3 = new Computed<int>(() => { ComputedEvaluations++; Busy(); return c2.Value + 1; });
        var c4 = new Computed<int>(() => { ComputedEvaluations++; return c3.Value + 2; });
        _c5 = new Computed<int>(() => { ComputedEvaluations++; return c4.Value + 3; });
        _effect = new Effect(() => { _ = _c5.Value; EffectRuns++; Busy(); });
    }

    public override string Name => "avoidablePropagation";

    public static int Busy()
    {
        int a = 0;
        for (int i = 0; i < 100; i++)
        {
            a++;
        }

        return a;
    }

    public override void Iter()
    {
        Write(_head, 1);
        Check(_c5.Value == 6, Name, "c5 after head=1");
        for (int i = 0; i < 1000; i++)
        {
            Write(_head, i);
            Check(_c5.Value == 6, Name, "c5");
        }
    }

    protected override void Dispose(bool disposing)
    {
        _effect.Dispose();
        base.Dispose(disposing);
    }
}
