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
        Derivation<TResult> derivation;
        using (GraphLock.Enter())
        {
            if (_derivations is not null && _derivations.TryGetValue(destination.Value, out Derivation? existing) && existing.IsActive)
            {
                return existing as Derivation<TResult> ?? throw new InvalidOperationException(
                    $"'{destination}' is already derived as {existing}, not with values of type {TypeNames.Format(typeof(TResult))}.");
            }

            derivation = Derive(destination, compute);
        }

        AfterCommit();
        return derivation;
    }

    /// <summary>Runs <paramref name="read"/> while no commit can start, so that it sees every commit whole (see <see cref="StateNodeSupport.ReadConsistent"/>).</summary>
    /// <remarks>For now this holds the commit lock for the duration of the read; point reads inside it are the store's ordinary ones.</remarks>
    internal TResult ReadConsistent<TState, TResult>(TState state, Func<TState, TResult> read)
    {
        TResult result;
        using (GraphLock.Enter())
        {
            result = read(state);
        }

        // Derived values the read brought up to date committed inside the lock: deliver their events now.
        AfterCommit();
        return result;
    }

    /// <summary>Disposes every derivation at or below <paramref name="path"/>, so that the subtree can be deleted.</summary>
    internal void RemoveDerivationsWithin(StatePath path)
    {
        ConcurrentDictionary<string, Derivation>? derivations = _derivations;
        if (derivations is null || derivations.IsEmpty)
        {
            return;
        }

        foreach (Derivation derivation in derivations.Values)
        {
            if (path.IsAncestorOrSelfOf(derivation.Destination))
            {
                derivation.Dispose();
            }
        }
    }
}
