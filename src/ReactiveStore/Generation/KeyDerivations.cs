namespace ReactiveStore;

/// <summary>The derivation behind a generated <c>Paths.&lt;Derived&gt;</c> key: the one of the store's root node (<see cref="StateStore.Root{T}"/>).</summary>
/// <typeparam name="TNode">The node type.</typeparam>
/// <typeparam name="T">The derived value type.</typeparam>
internal sealed class RootKeyDerivation<TNode, T>(Func<TNode, Derivation<T>> derivation) : IKeyDerivation
    where TNode : class, IStateNode<TNode>
{
    public void EnsureRegistered(StateStore store) => _ = derivation(store.Root<TNode>());
}

/// <summary>The derivation behind a generated <c>Keys.&lt;Derived&gt;</c> key: the one of that node instance, or of a node at the same
/// path when the key is read from another store.</summary>
/// <typeparam name="TNode">The node type.</typeparam>
/// <typeparam name="T">The derived value type.</typeparam>
internal sealed class NodeKeyDerivation<TNode, T>(TNode node, Func<TNode, Derivation<T>> derivation) : IKeyDerivation
    where TNode : class, IStateNode<TNode>
{
    // Every node instance bound to one path shares the store's one derivation there (StateStore.GetOrDerive), so a node
    // made for another store registers the same computation in that store.
    public void EnsureRegistered(StateStore store) =>
        _ = derivation(ReferenceEquals(store, node.Store) ? node : TNode.Create(store, node.Path));
}
