namespace ReactiveStore;

/// <summary>Registers the derivation behind a derived <see cref="StateKey{T}"/> in a store, so that the key reads like a stored one.</summary>
internal interface IKeyDerivation
{
    /// <summary>Registers the derivation in <paramref name="store"/> unless it is registered already (cheap when it is).</summary>
    /// <param name="store">The store the key is read from.</param>
    void EnsureRegistered(StateStore store);
}
