using BenchmarkDotNet.Running;
using ReactiveStore.Benchmarks.SignalShapes;

namespace ReactiveStore.Benchmarks;

/// <summary>Entry point: named quick modes, otherwise BenchmarkDotNet.</summary>
public static class Program
{
    /// <summary>Dispatches on the first argument.</summary>
    public static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : string.Empty)
        {
            case "signals-quick":
                return SignalsQuick.Run(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
