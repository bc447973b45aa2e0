namespace ReactiveStore;

/// <summary>A state node type that can be created for any store and path; used by <see cref="StateStore.Root{T}"/> and <see cref="StateMap{TNode}"/>.</summary>
/// <typeparam name="TSelf">The node type itself.</typeparam>
public interface IStateNode<TSelf> : IStateNode
    where TSelf : class, IStateNode<TSelf>
{
    /// <summary>Gets the path of the node when it is a root (from <see cref="StateNodeAttribute"/>).</summary>
    static abstract StatePath DefaultPath { get; }

    /// <summary>Creates a node bound to <paramref name="store"/> at <paramref name="path"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The path of the node.</param>
    /// <returns>The node.</returns>
    static abstract TSelf Create(StateStore store, StatePath path);
}
