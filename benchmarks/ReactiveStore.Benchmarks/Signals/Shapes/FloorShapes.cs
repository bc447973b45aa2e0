namespace ReactiveStore.Benchmarks.SignalShapes;

// Hand-written floors: the same shapes with plain fields and direct calls. Each write recomputes exactly
// the nodes the engine would (with the same equality cut-offs) and calls the effects directly, so the
// ratio engine/floor is the cost of the reactive machinery itself.

internal sealed class FloorDeepPropagation : SignalShape
{
    private readonly int[] _chain = new int[50];
    private int _head;

    public FloorDeepPropagation() => Recompute();

    public override string Name => "deepPropagation";

    public override void Iter()
    {
        Set(1);
        int start = EffectRuns;
        for (int i = 0; i < 50; i++)
        {
            Set(i);
            Check(_chain[49] == 50 + i, Name, "tail");
        }

        Check(EffectRuns - start == 50, Name, "effect count");
    }

    private void Set(int value)
    {
        if (_head == value)
        {
            return;
        }

        _head = value;
        Recompute();
        EffectRuns++;
    }

    private void Recompute()
    {
        int previous = _head;
        for (int i = 0; i < _chain.Length; i++)
        {
            ComputedEvaluations++;
            _chain[i] = previous = previous + 1;
        }
    }
}

internal sealed class FloorBroadPropagation : SignalShape
{
    private readonly int[] _a = new int[50];
    private readonly int[] _b = new int[50];
    private int _head;

    public override string Name => "broadPropagation";

    public override void Iter()
    {
        Set(1);
        int start = EffectRuns;
        for (int i = 0; i < 50; i++)
        {
            Set(i);
            Check(_b[49] == i + 50, Name, "last");
        }

        Check(EffectRuns - start == 2500, Name, "effect count");
    }

    private void Set(int value)
    {
        if (_head == value)
        {
            return;
        }

        _head = value;
        for (int i = 0; i < _a.Length; i++)
        {
            ComputedEvaluations += 2;
            _a[i] = value + i;
            _b[i] = _a[i] + 1;
            EffectRuns++;
        }
    }
}

internal sealed class FloorDiamond : SignalShape
{
    private readonly int[] _arms = new int[5];
    private int _head;
    private int _sum;

    public override string Name => "diamond";

    public override void Iter()
    {
        Set(1);
        Check(_sum == 10, Name, "sum after head=1");
        int start = EffectRuns;
        for (int i = 0; i < 500; i++)
        {
            Set(i);
            Check(_sum == (i + 1) * 5, Name, "sum");
        }

        Check(EffectRuns - start == 500, Name, "effect count");
    }

    private void Set(int value)
    {
        if (_head == value)
        {
            return;
        }

        _head = value;
        int sum = 0;
        for (int i = 0; i < _arms.Length; i++)
        {
            ComputedEvaluations++;
            sum += _arms[i] = value + 1;
        }

        ComputedEvaluations++;
        _sum = sum;
        EffectRuns++;
    }
}

internal sealed class FloorTriangle : SignalShape
{
    private readonly int[] _chain = new int[9];
    private int _head;
    private int _sum;

    public override string Name => "triangle";

    public override void Iter()
    {
        Set(1);
        Check(_sum == 55, Name, "sum after head=1");
        int start = EffectRuns;
        for (int i = 0; i < 100; i++)
        {
            Set(i);
            Check(_sum == 45 + (10 * i), Name, "sum");
        }

        Check(EffectRuns - start == 100, Name, "effect count");
    }

    private void Set(int value)
    {
        if (_head == value)
        {
            return;
        }

        _head = value;
        int previous = value;
        int sum = value;
        for (int i = 0; i < _chain.Length; i++)
        {
            ComputedEvaluations++;
            sum += _chain[i] = previous = previous + 1;
        }

        ComputedEvaluations++;
        _sum = sum;
        EffectRuns++;
    }
}

internal sealed class FloorMux : SignalShape
{
    private readonly int[] _heads = new int[100];
    private readonly int[] _picks = new int[100];
    private readonly int[] _outputs = new int[100];
    private int[] _mux = new int[100];

    public FloorMux()
    {
        for (int i = 0; i < _outputs.Length; i++)
        {
            _outputs[i] = 1;
        }
    }

    public override string Name => "mux";

    public override void Iter()
    {
        for (int i = 0; i < 10; i++)
        {
            Set(i, i);
            Check(_outputs[i] == i + 1, Name, "output");
        }

        for (int i = 0; i < 10; i++)
        {
            Set(i, i * 2);
            Check(_outputs[i] == (i * 2) + 1, Name, "output doubled");
        }
    }

    private void Set(int index, int value)
    {
        if (_heads[index] == value)
        {
            return;
        }

        _heads[index] = value;
        ComputedEvaluations++;
        var mux = new int[_heads.Length];
        for (int i = 0; i < mux.Length; i++)
        {
            mux[i] = _heads[i];
        }

        _mux = mux;
        for (int i = 0; i < _picks.Length; i++)
        {
            ComputedEvaluations++;
            int pick = _mux[i];
            if (pick != _picks[i])
            {
                _picks[i] = pick;
                ComputedEvaluations++;
                _outputs[i] = pick + 1;
                EffectRuns++;
            }
        }
    }
}

internal sealed class FloorRepeatedObservers : SignalShape
{
    private int _head;
    private int _current;

    public override string Name => "repeatedObservers";

    public override void Iter()
    {
        Set(1);
        Check(_current == 30, Name, "current after head=1");
        int start = EffectRuns;
        for (int i = 0; i < 100; i++)
        {
            Set(i);
            Check(_current == i * 30, Name, "current");
        }

        Check(EffectRuns - start == 100, Name, "effect count");
    }

    private void Set(int value)
    {
        if (_head == value)
        {
            return;
        }

        _head = value;
        ComputedEvaluations++;
        int result = 0;
        for (int i = 0; i < 30; i++)
        {
            result += _head;
        }

        _current = result;
        EffectRuns++;
    }
}

internal sealed class FloorUnstable : SignalShape
{
    private int _head;
    private int _current;

    public override string Name => "unstable";

    public override void Iter()
    {
        Set(1);
        Check(_current == 40, Name, "current after head=1");
        int start = EffectRuns;
        for (int i = 0; i < 100; i++)
        {
            Set(i);
            Check(_current == (i % 2 != 0 ? i * 40 : i * -20), Name, "current");
        }

        Check(EffectRuns - start == 100, Name, "effect count");
    }

    private void Set(int value)
    {
        if (_head == value)
        {
            return;
        }

        _head = value;
        ComputedEvaluations += 2; // current, and the one of doubled/inverse it reads
        int doubled = value * 2;
        int inverse = -value;
        int result = 0;
        for (int i = 0; i < 20; i++)
        {
            result += _head % 2 != 0 ? doubled : inverse;
        }

        _current = result;
        EffectRuns++;
    }
}

internal sealed class FloorAvoidablePropagation : SignalShape
{
    private int _head;
    private int _c1;

    public override string Name => "avoidablePropagation";

    public override void Iter()
    {
        Set(1);
        for (int i = 0; i < 1000; i++)
        {
            Set(i);
        }
    }

    private void Set(int value)
    {
        if (_head == value)
        {
            return;
        }

        _head = value;
        ComputedEvaluations += 2; // c1, then c2 which returns 0 again: the cut-off stops there
        _c1 = value;
        _ = _c1;
    }
}
