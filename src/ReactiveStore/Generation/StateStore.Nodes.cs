using System.Collections.Concurrent;

namespace ReactiveStore;

public sealed partial class StateStore
{
    // Created on first use: most stores never ask for a root node.
    private ConcurrentDictionary<Type, IStateNode>? _roots;

    /// <summary>Returns the shared instance of the state node <typeparamref name="T"/> bound to this store at its default path.</summary>
    /// <typeparam name="T">A generated <see cref="StateNodeAttribute"/> class.</typeparam>
    /// <returns>The same instance on every call for this store.</returns>
    /// <remarks>Safe from any thread; if two threads race on the first call, both get the one instance that was kept.</remarks>
    public T Root<T>()
        where T : class, IStateNode<T>
    {
        ConcurrentDictionary<Type, IStateNode> roots = Volatile.Read(ref _roots)
            ?? Interlocked.CompareExchange(ref _roots, new ConcurrentDictionary<Type, IStateNode>(), null)
            ?? _roots!;
        if (roots.TryGetValue(typeof(T), out IStateNode? existing))
        {
            return (T)existing;
        }

        return (T)roots.GetOrAdd(typeof(T), static (_, store) => T.Create(store, T.DefaultPath), this);
    }

    /// <summary>Returns the derivation registered at <paramref name="destination"/>, registering <paramref name="compute"/> there
    /// first if there is none, so that every node instance bound to one path shares one derivation.</summary>
    /// <exception cref="InvalidOperationException">The path is derived with another value type, or holds stored state.</exception>
    internal Derivation<TResult> GetOrDerive<TResult>(StatePath destination, Func<TrackingContext, TResult> compute)
    {
        if (_derivations.TryGetDerivation(destination, out Derivation? existing) && existing.IsActive)
        {
            return existing as Derivation<TResult> ?? throw new InvalidOperationException(
                $"'{destination}' is already derived as {existing}, not with values of type {TypeNames.Format(typeof(TResult))}.");
        }

        ThrowIfNotWritable(destination);
        TrackingContext context = _derivations.Context;
        return _derivations.Register(destination, [], () => compute(context), null, reuseExisting: true);
    }

    /// <summary>Disposes every derivation at or below <paramref name="path"/>, so that the subtree can be deleted.</summary>
    internal void RemoveDerivationsWithin(StatePath path) => _derivations.RemoveWithin(path);
}
