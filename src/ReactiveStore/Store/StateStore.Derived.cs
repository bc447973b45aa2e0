using System.Collections.Concurrent;
using ReactiveStore.Signals;

namespace ReactiveStore;

public sealed partial class StateStore
{
    // Destination path → derivation. Read without a lock by readers; changed under the graph lock.
    private ConcurrentDictionary<string, Derivation>? _derivations;

    // Path → version signal, created the first time a computation reads the path. Graph lock only.
    private Dictionary<string, Signal<long>>? _pathSignals;
    private int _pathSignalPruneAt = 64;
    private List<StoreTracker>? _trackers;
    private TrackingContext? _trackingContext;

    /// <summary>Keeps <paramref name="destination"/> equal to <paramref name="transform"/> of the value at <paramref name="source"/>
    /// (a source's descendants count as the source).</summary>
    /// <typeparam name="TSource">The type to read the source as.</typeparam>
    /// <typeparam name="TResult">The derived value's type.</typeparam>
    /// <param name="destination">The derived path; it must not hold stored state.</param>
    /// <param name="source">The source path.</param>
    /// <param name="transform">The pure function from the source value to the derived value.</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    /// <exception cref="CyclicDerivationException">The destination feeds, directly or through other derivations, one of its sources.</exception>
    /// <exception cref="InvalidOperationException">The destination holds stored state or is already derived.</exception>
    public Derivation<TResult> Derive<TSource, TResult>(string destination, string source, Func<TSource?, TResult> transform) =>
        Derive(ParseKey(destination), ParseKey(source), transform);

    /// <summary>Keeps <paramref name="destination"/> equal to <paramref name="transform"/> of the value at <paramref name="source"/>.</summary>
    /// <typeparam name="TSource">The type to read the source as.</typeparam>
    /// <typeparam name="TResult">The derived value's type.</typeparam>
    /// <param name="destination">The derived path.</param>
    /// <param name="source">The source path.</param>
    /// <param name="transform">The pure function from the source value to the derived value.</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    public Derivation<TResult> Derive<TSource, TResult>(StatePath destination, StatePath source, Func<TSource?, TResult> transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ThrowIfNotKey(source);
        return RegisterDerivation(destination, [source], () => transform(Get<TSource>(source)), null);
    }

    /// <summary>Keeps <paramref name="destination"/> equal to <paramref name="transform"/> of several sources.</summary>
    /// <typeparam name="TResult">The derived value's type.</typeparam>
    /// <param name="destination">The derived path.</param>
    /// <param name="sources">The source paths (at least one).</param>
    /// <param name="transform">The pure function of the sources' current values.</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    public Derivation<TResult> DeriveMany<TResult>(string destination, IEnumerable<string> sources, Func<DeriveData, TResult> transform)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return DeriveMany(ParseKey(destination), sources.Select(ParseKey), transform);
    }

    /// <summary>Keeps <paramref name="destination"/> equal to <paramref name="transform"/> of several sources.</summary>
    /// <typeparam name="TResult">The derived value's type.</typeparam>
    /// <param name="destination">The derived path.</param>
    /// <param name="sources">The source paths (at least one).</param>
    /// <param name="transform">The pure function of the sources' current values.</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    public Derivation<TResult> DeriveMany<TResult>(StatePath destination, IEnumerable<StatePath> sources, Func<DeriveData, TResult> transform)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(transform);
        StatePath[] list = [.. sources];
        if (list.Length == 0)
        {
            throw new ArgumentException("A derivation needs at least one source.", nameof(sources));
        }

        foreach (StatePath source in list)
        {
            ThrowIfNotKey(source);
        }

        var data = new DeriveData(this, list);
        return RegisterDerivation(
            destination,
            list,
            () =>
            {
                // Every declared source is a dependency, whether or not this run reads it.
                foreach (StatePath source in list)
                {
                    TrackRead(source);
                }

                return transform(data);
            },
            null);
    }

    /// <summary>Keeps <paramref name="destination"/> equal to <paramref name="compute"/>, whose dependencies are whatever it read in its last run.</summary>
    /// <typeparam name="TResult">The derived value's type.</typeparam>
    /// <param name="destination">The derived path.</param>
    /// <param name="compute">The pure computation; reads through the context (or the store) are tracked.</param>
    /// <param name="comparer">Decides whether a new result equals the previous one (equal results stop there).</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    /// <remarks>Dependencies are only known at run time, so a cycle through this derivation is reported when it runs
    /// (as a <see cref="CyclicDerivationException"/> from the read), not at registration.</remarks>
    public Derivation<TResult> Derive<TResult>(StatePath destination, Func<TrackingContext, TResult> compute, IEqualityComparer<TResult>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(compute);
        TrackingContext context = TrackingContextInstance;
        return RegisterDerivation(destination, [], () => compute(context), comparer);
    }

    /// <summary>Keeps <paramref name="destination"/> equal to <paramref name="compute"/>; see <see cref="Derive{TResult}(StatePath, Func{TrackingContext, TResult}, IEqualityComparer{TResult}?)"/>.</summary>
    /// <typeparam name="TResult">The derived value's type.</typeparam>
    /// <param name="destination">The dotted derived path.</param>
    /// <param name="compute">The pure computation.</param>
    /// <param name="comparer">Decides whether a new result equals the previous one.</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    public Derivation<TResult> Derive<TResult>(string destination, Func<TrackingContext, TResult> compute, IEqualityComparer<TResult>? comparer = null) =>
        Derive(ParseKey(destination), compute, comparer);

    /// <summary>Runs <paramref name="effect"/> now and again after every commit that changed a path it read in its last run.</summary>
    /// <param name="effect">The effect; it may write to the store (those are ordinary later writes).</param>
    /// <returns>A handle; dispose it to stop the effect.</returns>
    /// <remarks>The first run's exception is thrown to the caller. Later exceptions are logged and the effect keeps its
    /// subscription to what it read before it threw.</remarks>
    public IDisposable Track(Action<TrackingContext> effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        using (GraphLock.Enter())
        {
            ThrowIfDisposed();
            var tracker = new StoreTracker(this, effect, TrackingContextInstance);
            (_trackers ??= []).Add(tracker);
            tracker.Start();
            return tracker;
        }
    }

    /// <summary>Creates a lazy, cached value computed from store paths (and signals), recomputed only when something it read changed.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="compute">The pure computation; reads through the context (or the store) are tracked.</param>
    /// <param name="comparer">Decides whether a new result equals the previous one.</param>
    /// <returns>A signal-engine computed value.</returns>
    public global::ReactiveStore.Signals.Computed<T> Computed<T>(Func<TrackingContext, T> compute, IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(compute);
        TrackingContext context = TrackingContextInstance;
        return new global::ReactiveStore.Signals.Computed<T>(() => compute(context), comparer);
    }

    internal void RemoveDerivation(Derivation derivation)
    {
        using (GraphLock.Enter())
        {
            derivation.Observer?.Dispose();
            derivation.Observer = null;
            if (_derivations is null || !_derivations.TryRemove(new KeyValuePair<string, Derivation>(derivation.Destination.Value, derivation)) || IsDisposed)
            {
                return;
            }

            BeginCommit();
            try
            {
                ApplyDelete(derivation.Destination, derivedWrite: true);
            }
            finally
            {
                EndCommit();
            }
        }

        AfterCommit();
    }

    internal void RemoveTracker(StoreTracker tracker)
    {
        using (GraphLock.Enter())
        {
            _trackers?.Remove(tracker);
        }
    }

    /// <summary>Stores a derived value if it differs from the stored one; the caller holds the graph lock.</summary>
    internal void WriteDerived<T>(StatePath destination, T value, IEqualityComparer<T> comparer)
    {
        if (_table.Find(destination.Value)?.Entry is StateEntry<T> current && comparer.Equals(current.Value, value))
        {
            return;
        }

        BeginCommit();
        try
        {
            ApplySet(destination, value, null, derivedWrite: true, comparer);
        }
        finally
        {
            EndCommit();
        }
    }

    internal void ReportTrackerFailure(Exception exception, string name) => Log.TrackerFailed(_logger, exception, name);

    private TrackingContext TrackingContextInstance => _trackingContext ??= new TrackingContext(this);

    private Derivation<TResult> RegisterDerivation<TResult>(StatePath destination, StatePath[] sources, Func<TResult> compute, IEqualityComparer<TResult>? comparer)
    {
        ThrowIfNotWritable(destination);
        Derivation<TResult> derivation;
        using (GraphLock.Enter())
        {
            ThrowIfDisposed();
            _derivations ??= new ConcurrentDictionary<string, Derivation>(StringComparer.Ordinal);
            if (_derivations.TryGetValue(destination.Value, out Derivation? existing))
            {
                throw new InvalidOperationException($"'{destination}' is already derived ({existing}); dispose that derivation first.");
            }

            TableNode? node = _table.Find(destination.Value);
            if (node is not null)
            {
                throw new InvalidOperationException(
                    $"Cannot derive '{destination}': it holds stored state. Delete it first; a derived path is written only by its derivation.");
            }

            ThrowIfDerivationCycle(destination, sources);
            derivation = new Derivation<TResult>(this, destination, sources, compute, comparer);
            _derivations[destination.Value] = derivation;
            try
            {
                // The value exists as soon as the derivation is registered.
                derivation.Refresh();
            }
            catch
            {
                _derivations.TryRemove(destination.Value, out _);
                if (_table.Find(destination.Value) is { } written)
                {
                    BeginCommit();
                    try
                    {
                        ApplyDelete(destination, derivedWrite: true);
                    }
                    finally
                    {
                        EndCommit();
                    }
                }

                throw;
            }

            UpdateObservation(derivation);
        }

        AfterCommit();
        return derivation;
    }

    /// <summary>Makes a derivation eager while some subscription matches its path, lazy otherwise. Caller holds the graph lock.</summary>
    private void UpdateObservation(Derivation derivation)
    {
        bool observed = derivation.IsActive && _index.HasMatch(derivation.Destination);
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
                    Log.DerivationFailed(_logger, ex, derivation.Destination.ToString());
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

    /// <summary>Re-evaluates which derivations are observed after the set of subscriptions changed.</summary>
    private void UpdateObservations()
    {
        if (_derivations is null || _derivations.IsEmpty)
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

        AfterCommit();
    }

    /// <summary>Records a read of <paramref name="path"/> as a dependency of the computation running on this thread, if any.</summary>
    private void TrackRead(StatePath path)
    {
        if (SignalGraph.s_activeSub is null || !GraphLock.IsHeldByCurrentThread)
        {
            return;
        }

        _pathSignals ??= new Dictionary<string, Signal<long>>(StringComparer.Ordinal);
        if (!_pathSignals.TryGetValue(path.Value, out Signal<long>? signal))
        {
            if (_pathSignals.Count >= _pathSignalPruneAt)
            {
                PrunePathSignals();
            }

            signal = new Signal<long>(0);
            _pathSignals.Add(path.Value, signal);
        }

        _ = signal.Value;
    }

    /// <summary>Drops the path signals no computation depends on any more (a later read creates a fresh one), so
    /// computations over ever-new paths do not grow the table without bound. Amortized: runs when the table doubles.</summary>
    private void PrunePathSignals()
    {
        Dictionary<string, Signal<long>> signals = _pathSignals!;
        List<string>? unused = null;
        foreach (KeyValuePair<string, Signal<long>> item in signals)
        {
            if (item.Value._subs is null)
            {
                (unused ??= []).Add(item.Key);
            }
        }

        if (unused is not null)
        {
            foreach (string key in unused)
            {
                signals.Remove(key);
            }
        }

        _pathSignalPruneAt = Math.Max(64, signals.Count * 2);
    }

    /// <summary>Gets how many path signals the store keeps (for tests).</summary>
    internal int PathSignalCount => _pathSignals?.Count ?? 0;

    /// <summary>Tells computations that read <paramref name="path"/>, one of its ancestors (a subtree read) or, for a
    /// delete, one of its descendants, that it changed. Caller holds the graph lock inside a commit.</summary>
    private void NotifyChanged(StatePath path, bool includeDescendants)
    {
        Dictionary<string, Signal<long>>? signals = _pathSignals;
        if (signals is null || signals.Count == 0)
        {
            return;
        }

        Dictionary<string, Signal<long>>.AlternateLookup<ReadOnlySpan<char>> lookup = signals.GetAlternateLookup<ReadOnlySpan<char>>();
        ReadOnlySpan<char> text = path.Value;
        Bump(lookup, text);
        for (int i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] == '.')
            {
                Bump(lookup, text[..i]);
            }
        }

        Bump(lookup, []);
        if (includeDescendants)
        {
            foreach (KeyValuePair<string, Signal<long>> item in signals)
            {
                if (item.Key.Length > text.Length && item.Key[text.Length] == '.' && item.Key.AsSpan().StartsWith(text, StringComparison.Ordinal))
                {
                    item.Value.Value++;
                }
            }
        }

        static void Bump(Dictionary<string, Signal<long>>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> key)
        {
            if (lookup.TryGetValue(key, out Signal<long>? signal))
            {
                signal.Value++;
            }
        }
    }

    /// <summary>If <paramref name="path"/> is derived, brings its stored value up to date (and tracks the derivation). Returns whether it was derived.</summary>
    private bool RefreshIfDerived(StatePath path)
    {
        ConcurrentDictionary<string, Derivation>? derivations = _derivations;
        if (derivations is null || derivations.IsEmpty || !derivations.TryGetValue(path.Value, out Derivation? derivation))
        {
            return false;
        }

        using (GraphLock.Enter())
        {
            if (derivation.IsActive)
            {
                derivation.Refresh();
            }
        }

        AfterCommit();
        return true;
    }

    /// <summary>Brings every derived path at or below <paramref name="path"/> up to date before a subtree read. Caller holds the graph lock.</summary>
    private void RefreshDerivedWithin(StatePath path)
    {
        ConcurrentDictionary<string, Derivation>? derivations = _derivations;
        if (derivations is null || derivations.IsEmpty)
        {
            return;
        }

        foreach (Derivation derivation in derivations.Values)
        {
            if (derivation.IsActive && path.IsAncestorOrSelfOf(derivation.Destination))
            {
                derivation.Refresh();
            }
        }
    }

    private void ThrowIfDerived(StatePath path)
    {
        ConcurrentDictionary<string, Derivation>? derivations = _derivations;
        if (derivations is not null && !derivations.IsEmpty && derivations.TryGetValue(path.Value, out Derivation? derivation))
        {
            throw new InvalidOperationException($"'{path}' is a derived path ({derivation}); only its derivation writes it. Dispose the derivation to write it directly.");
        }
    }

    private void ThrowIfDerivedWithin(StatePath path)
    {
        ConcurrentDictionary<string, Derivation>? derivations = _derivations;
        if (derivations is null || derivations.IsEmpty)
        {
            return;
        }

        ThrowIfDerived(path);
        foreach (Derivation derivation in derivations.Values)
        {
            if (path.IsAncestorOf(derivation.Destination))
            {
                throw new InvalidOperationException($"Cannot delete '{path}': it contains the derived path '{derivation.Destination}'. Dispose that derivation first.");
            }
        }
    }

    /// <summary>Throws if registering <paramref name="destination"/> from <paramref name="sources"/> would close a cycle through
    /// the registered derivations. Paths overlap when one is an ancestor-or-self of the other (a subtree read sees a change below it).</summary>
    private void ThrowIfDerivationCycle(StatePath destination, StatePath[] sources)
    {
        foreach (StatePath source in sources)
        {
            if (Overlaps(destination, source))
            {
                throw new CyclicDerivationException([destination.ToString(), destination.ToString()]);
            }
        }

        if (_derivations is null || _derivations.IsEmpty)
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

    private void StopReactiveWork()
    {
        using (GraphLock.Enter())
        {
            if (_trackers is not null)
            {
                foreach (StoreTracker tracker in _trackers.ToArray())
                {
                    tracker.Stop();
                }

                _trackers.Clear();
            }

            if (_derivations is not null)
            {
                foreach (Derivation derivation in _derivations.Values)
                {
                    derivation.Observer?.Dispose();
                    derivation.Observer = null;
                }
            }
        }
    }
}
