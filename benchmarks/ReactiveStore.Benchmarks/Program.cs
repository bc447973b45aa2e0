using BenchmarkDotNet.Running;
using ReactiveStore.Benchmarks.Store;

// Verbs: store-quick (Stopwatch smoke run of the store cases); store [BenchmarkDotNet args] (the store classes);
// anything else goes to BenchmarkDotNet as it is.
switch (args.Length > 0 ? args[0] : null)
{
    case "store-quick":
        return StoreQuickRunner.Run(args[1..]);
    case "store":
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(["--filter", "ReactiveStore.Benchmarks.Store.*", .. args[1..]]);
        return 0;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
}
