using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>The store's derived values and effects: which paths are derived (and from what), the static cycle check,
/// whether each derivation is eager (observed by a subscription) or lazy, and the <c>Track</c> effects.</summary>
/// <remarks>
/// <para>There is one dependency graph, the signal engine's: a derivation is a <see cref="Computed{T}"/>; store reads
/// inside computations are tracked through <see cref="PathSignals"/>.</para>
/// <para>Threading: the set of derivations changes inside the store's commits (so a stored write and a registration at
/// the same path cannot both win) and is read without locks. Observers and trackers belong to the engine lock.</para>
/// </remarks>
internal sealed class DerivationRegistry(StateStore store, EntryTable table, CommitPipeline pipeline, PathSignals signals, SubscriptionIndex index, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Derivation> _derivations = new(StringComparer.Ordinal);
    private readonly List<StoreTracker> _trackers = [];
    private TrackingContext? _context;

    // How many derivations are registered. ConcurrentDictionary.IsEmpty takes every bucket lock when the dictionary is
    // empty, and every write asks: this counter answers without locks.
    private int _count;

    private bool IsEmpty => Volatile.Read(ref _count) == 0;

    /// <summary>Gets the context computations read the store through.</summary>
    public TrackingContext Context => _context ??= new TrackingContext(store);

    /// <summary>Gets how many path signals the store keeps (for tests).</summary>
    public int PathSignalCount => signals.Count;

    public bool TryGetDerivation(StatePath path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Derivation? derivation)
    {
        if (IsEmpty)
        {
            derivation = null;
            return false;
        }

        return _derivations.TryGetValue(path.Value, out derivation);
    }

    /// <summary>Registers a derivation (or, with <paramref name="reuseExisting"/>, returns the one already at the path).</summary>
    public Derivation<TResult> Register<TResult>(StatePath destination, StatePath[] sources, Func<TResult> compute, IEqualityComparer<TResult>? comparer, bool reuseExisting)
    {
        var derivation = new Derivation<TResult>(store, destination, sources, compute, comparer);
        if (DeferredWrites.MustDefer && !pipeline.IsStagingOnCurrentThread)
        {
            // Registered from inside a computation or effect (a generated derived member read by another one): this
            // thread cannot wait for the store's turn. The derivation computes at once when read; it registers (and
            // materializes) as soon as the computation returns.
            if (reuseExisting && TryGetDerivation(destination, out Derivation? existing) && existing.IsActive)
            {
                return Reuse<TResult>(existing, destination);
            }

            store.DeferInternal($"Derive '{destination}'", derivation, static (s, d) => s.Derivations.RegisterLater(d));
            return derivation;
        }

        var result = new StrongBox<Derivation>(derivation);
        store.CommitOwn(
            (Registry: this, Derivation: (Derivation)derivation, Reuse: reuseExisting, Result: result),
            static (state, commit) => state.Result.Value = state.Registry.RegisterIn(state.Derivation, state.Reuse));
        return Reuse<TResult>(result.Value, destination);
    }

    /// <summary>Removes a derivation and its value (one commit).</summary>
    public void Remove(Derivation derivation)
    {
        using (GraphLock.Enter())
        {
            derivation.Observer?.Dispose();
            derivation.Observer = null;
        }

        if (pipeline.IsClosed)
        {
            if (_derivations.TryRemove(new KeyValuePair<string, Derivation>(derivation.Destination.Value, derivation)))
            {
                Volatile.Write(ref _count, _derivations.Count);
            }

            return;
        }

        if (DeferredWrites.MustDefer && !pipeline.IsStagingOnCurrentThread)
        {
            store.DeferInternal($"Remove derivation '{derivation.Destination}'", derivation, static (s, d) => s.Derivations.Remove(d));
            return;
        }

        store.CommitOwn((Registry: this, Derivation: derivation), static (state, commit) => state.Registry.RemoveIn(state.Derivation));
    }

    /// <summary>Disposes every derivation at or below <paramref name="path"/>, so that the subtree can be deleted.</summary>
    public void RemoveWithin(StatePath path)
    {
        foreach (Derivation derivation in _derivations.Values)
        {
            if (path.IsAncestorOrSelfOf(derivation.Destination))
            {
                derivation.Dispose();
            }
        }
    }

    /// <summary>Runs an effect now and after every commit that changed what it read.</summary>
    public IDisposable Track(Action<TrackingContext> effect)
    {
        using (GraphLock.Enter())
        {
            var tracker = new StoreTracker(this, effect, Context);
            _trackers.Add(tracker);
            try
            {
                tracker.Start();
            }
            catch
            {
                _trackers.Remove(tracker);
                throw;
            }

            return tracker;
        }
    }

    public void RemoveTracker(StoreTracker tracker)
    {
        using (GraphLock.Enter())
        {
            _trackers.Remove(tracker);
        }
    }

    public void ReportTrackerFailure(Exception exception, string name) => Log.TrackerFailed(logger, exception, name);

    /// <summary>Makes every derivation eager while some subscription matches its path, lazy otherwise.</summary>
    public void UpdateObservations()
    {
        if (IsEmpty)
        {
            return;
        }

        using (GraphLock.Enter())
        {
            foreach (Derivation derivation in _derivations.Values)
            {
                UpdateObservation(derivation);
            }
        }
    }

    /// <summary>Replaces (or adds) the values of derived paths at or below <paramref name="path"/> in a snapshot with their
    /// current values, so a subtree read never shows a derived value that is still being written.</summary>
    public void OverlayCurrentValues(StatePath path, List<KeyValuePair<StatePath, StateEntry>> leaves)
    {
        if (IsEmpty)
        {
            return;
        }

        foreach (Derivation derivation in _derivations.Values)
        {
            if (!derivation.IsActive || !path.IsAncestorOrSelfOf(derivation.Destination))
            {
                continue;
            }

            StateEntry entry = derivation.ReadEntry();
            int index = leaves.BinarySearch(new KeyValuePair<StatePath, StateEntry>(derivation.Destination, entry), LeafOrder.Instance);
            if (index >= 0)
            {
                leaves[index] = new KeyValuePair<StatePath, StateEntry>(derivation.Destination, entry);
            }
            else
            {
                leaves.Insert(~index, new KeyValuePair<StatePath, StateEntry>(derivation.Destination, entry));
            }
        }
    }

    /// <summary>Stops every effect and observer (the store is shutting down).</summary>
    public void Stop()
    {
        using (GraphLock.Enter())
        {
            foreach (StoreTracker tracker in _trackers.ToArray())
            {
                tracker.Stop();
            }

            _trackers.Clear();
            foreach (Derivation derivation in _derivations.Values)
            {
                derivation.Observer?.Dispose();
                derivation.Observer = null;
            }
        }
    }

    public void ThrowIfDerived(StatePath path)
    {
        if (!IsEmpty && _derivations.TryGetValue(path.Value, out Derivation? derivation))
        {
            throw new InvalidOperationException($"'{path}' is a derived path ({derivation}); only its derivation writes it. Dispose the derivation to write it directly.");
        }
    }

    public void ThrowIfDerivedWithin(StatePath path)
    {
        if (IsEmpty)
        {
            return;
        }

        ThrowIfDerived(path);
        foreach (Derivation derivation in _derivations.Values)
        {
            if (path.IsAncestorOf(derivation.Destination))
            {
                throw new InvalidOperationException($"Cannot delete '{path}': it contains the derived path '{derivation.Destination}'. Dispose that derivation first.");
            }
        }
    }

    /// <summary>Registers a derivation that was created while its thread could not wait for the store (see <see cref="Register{TResult}"/>).</summary>
    internal void RegisterLater(Derivation derivation)
    {
        if (!derivation.IsActive)
        {
            return;
        }

        try
        {
            store.CommitOwn((Registry: this, Derivation: derivation), static (state, commit) => state.Registry.RegisterIn(state.Derivation, reuseExisting: true));
        }
        catch
        {
            derivation.Abandon();
            throw;
        }
    }

    private static Derivation<TResult> Reuse<TResult>(Derivation existing, StatePath destination) =>
        existing as Derivation<TResult> ?? throw new InvalidOperationException(
            $"'{destination}' is already derived as {existing}, not with values of type {TypeNames.Format(typeof(TResult))}.");

    /// <summary>Inside a commit of the store (this thread holds its turn): checks, registers, computes the first value
    /// (staged in the same commit), and starts observing. An exception leaves nothing behind.</summary>
    private Derivation RegisterIn(Derivation derivation, bool reuseExisting)
    {
        StatePath destination = derivation.Destination;
        if (_derivations.TryGetValue(destination.Value, out Derivation? existing) && existing.IsActive)
        {
            if (reuseExisting && existing.GetType() == derivation.GetType())
            {
                derivation.Abandon();
                return existing;
            }

            throw new InvalidOperationException($"'{destination}' is already derived ({existing}); dispose that derivation first.");
        }

        if (table.Find(destination.Value)?.Current is not null)
        {
            throw new InvalidOperationException(
                $"Cannot derive '{destination}': it holds stored state. Delete it first; a derived path is written only by its derivation.");
        }

        ThrowIfCycle(destination, derivation.DeclaredSources);
        _derivations[destination.Value] = derivation;
        Volatile.Write(ref _count, _derivations.Count);
        try
        {
            using (GraphLock.Enter())
            {
                // The value exists as soon as the derivation is registered (staged in this commit).
                derivation.Refresh();
                UpdateObservation(derivation);
            }
        }
        catch
        {
            if (_derivations.TryRemove(new KeyValuePair<string, Derivation>(destination.Value, derivation)))
            {
                Volatile.Write(ref _count, _derivations.Count);
            }

            derivation.Observer?.Dispose();
            derivation.Observer = null;
            throw;
        }

        return derivation;
    }

    private void RemoveIn(Derivation derivation)
    {
        if (!_derivations.TryRemove(new KeyValuePair<string, Derivation>(derivation.Destination.Value, derivation)))
        {
            return;
        }

        Volatile.Write(ref _count, _derivations.Count);
        store.TryDeleteDerived(derivation.Destination);
    }

    /// <summary>Makes a derivation eager while some subscription matches its path, lazy otherwise. Caller holds the engine lock.</summary>
    private void UpdateObservation(Derivation derivation)
    {
        bool observed = derivation.IsActive && index.HasMatch(derivation.Destination);
        if (observed && derivation.Observer is null)
        {
            derivation.Observer = new Effect(() =>
            {
                try
                {
                    derivation.Refresh();
                }
                catch (Exception ex)
                {
                    // Readers of the path get the exception itself; subscribers get no event for a failed recompute.
                    Log.DerivationFailed(logger, ex, derivation.Destination.ToString());
                }
            })
            { Name = $"observer of '{derivation.Destination}'" };
        }
        else if (!observed && derivation.Observer is not null)
        {
            derivation.Observer.Dispose();
            derivation.Observer = null;
        }
    }

    /// <summary>Throws if registering <paramref name="destination"/> from <paramref name="sources"/> would close a cycle through
    /// the registered derivations. Paths overlap when one is an ancestor-or-self of the other (a subtree read sees a change below it).</summary>
    private void ThrowIfCycle(StatePath destination, StatePath[] sources)
    {
        foreach (StatePath source in sources)
        {
            if (Overlaps(destination, source))
            {
                throw new CyclicDerivationException([destination.ToString(), destination.ToString()]);
            }
        }

        if (IsEmpty)
        {
            return;
        }

        // Breadth-first from the new derivation along "writes a path that the next one reads".
        var cameFrom = new Dictionary<Derivation, Derivation?>();
        var queue = new Queue<(StatePath Written, Derivation? Via)>();
        queue.Enqueue((destination, null));
        while (queue.Count > 0)
        {
            (StatePath written, Derivation? via) = queue.Dequeue();
            foreach (Derivation next in _derivations.Values)
            {
                if (cameFrom.ContainsKey(next) || !ReadsFrom(next, written))
                {
                    continue;
                }

                cameFrom[next] = via;
                foreach (StatePath source in sources)
                {
                    if (Overlaps(next.Destination, source))
                    {
                        var chain = new List<string> { next.Destination.ToString() };
                        for (Derivation? step = via; step is not null; step = cameFrom[step])
                        {
                            chain.Add(step.Destination.ToString());
                        }

                        chain.Add(destination.ToString());
                        chain.Reverse();
                        chain.Add(destination.ToString());
                        throw new CyclicDerivationException(chain);
                    }
                }

                queue.Enqueue((next.Destination, next));
            }
        }

        static bool ReadsFrom(Derivation derivation, StatePath written)
        {
            foreach (StatePath source in derivation.DeclaredSources)
            {
                if (Overlaps(source, written))
                {
                    return true;
                }
            }

            return false;
        }

        static bool Overlaps(StatePath a, StatePath b) => a.IsAncestorOrSelfOf(b) || b.IsAncestorOf(a);
    }

    private sealed class LeafOrder : IComparer<KeyValuePair<StatePath, StateEntry>>
    {
        public static readonly LeafOrder Instance = new();

        public int Compare(KeyValuePair<StatePath, StateEntry> x, KeyValuePair<StatePath, StateEntry> y) => x.Key.CompareTo(y.Key);
    }

    private sealed class StrongBox<T>(T value)
    {
        public T Value { get; set; } = value;
    }
}
