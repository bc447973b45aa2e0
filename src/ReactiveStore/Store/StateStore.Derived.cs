namespace ReactiveStore;

public sealed partial class StateStore
{
    /// <summary>Gets the store's derived values and effects.</summary>
    internal DerivationRegistry Derivations => _derivations;

    /// <summary>Gets how many path signals the store keeps (for tests).</summary>
    internal int PathSignalCount => _derivations.PathSignalCount;

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
    /// <param name="sources">The dotted source paths (at least one).</param>
    /// <param name="transform">The pure function of the sources' current values.</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    public Derivation<TResult> DeriveMany<TResult>(string destination, IEnumerable<string> sources, Func<DeriveData, TResult> transform)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return DeriveMany(ParseKey(destination), sources.Select(ParseKey), transform);
    }

    /// <summary>Keeps <paramref name="destination"/> equal to <paramref name="transform"/> of several sources.</summary>
    /// <typeparam name="TResult">The derived value's type.</typeparam>
    /// <param name="destination">The dotted derived path.</param>
    /// <param name="sources">The source paths (at least one).</param>
    /// <param name="transform">The pure function of the sources' current values.</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    public Derivation<TResult> DeriveMany<TResult>(string destination, IEnumerable<StatePath> sources, Func<DeriveData, TResult> transform) =>
        DeriveMany(ParseKey(destination), sources, transform);

    /// <summary>Keeps <paramref name="destination"/> equal to <paramref name="transform"/> of several sources.</summary>
    /// <typeparam name="TResult">The derived value's type.</typeparam>
    /// <param name="destination">The derived path.</param>
    /// <param name="sources">The dotted source paths (at least one).</param>
    /// <param name="transform">The pure function of the sources' current values.</param>
    /// <returns>The derivation; dispose it to remove the derived path.</returns>
    public Derivation<TResult> DeriveMany<TResult>(StatePath destination, IEnumerable<string> sources, Func<DeriveData, TResult> transform)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return DeriveMany(destination, sources.Select(ParseKey), transform);
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
                    _signals.Track(source);
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
        TrackingContext context = _derivations.Context;
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
    /// <param name="effect">The effect; it may write to the store (those are ordinary later writes, committed as soon as
    /// it returns).</param>
    /// <returns>A handle; dispose it to stop the effect.</returns>
    /// <remarks>The first run's exception is thrown to the caller. Later exceptions are logged and the effect keeps its
    /// subscription to what it read before it threw.</remarks>
    public IDisposable Track(Action<TrackingContext> effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        ThrowIfDisposed();
        return _derivations.Track(effect);
    }

    /// <summary>Creates a lazy, cached value computed from store paths (and signals), recomputed only when something it read changed.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="compute">The pure computation; reads through the context (or the store) are tracked.</param>
    /// <param name="comparer">Decides whether a new result equals the previous one.</param>
    /// <returns>A signal-engine computed value.</returns>
    public global::ReactiveStore.Signals.Computed<T> Computed<T>(Func<TrackingContext, T> compute, IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(compute);
        TrackingContext context = _derivations.Context;
        return new global::ReactiveStore.Signals.Computed<T>(() => compute(context), comparer);
    }

    /// <summary>Reads the value stored at a derived path as the table holds it (without recomputing).</summary>
    internal StateEntry? ReadMaterialized(StatePath path) =>
        _pipeline.IsStagingOnCurrentThread ? _table.Find(path.Value)?.Current : _table.ReadPublished(path.Value, out _);

    private Derivation<TResult> RegisterDerivation<TResult>(StatePath destination, StatePath[] sources, Func<TResult> compute, IEqualityComparer<TResult>? comparer)
    {
        ThrowIfNotWritable(destination);
        ThrowIfDisposed();
        return _derivations.Register(destination, sources, compute, comparer, reuseExisting: false);
    }
}
