namespace ReactiveStore;

/// <summary>A typed view of a subtree of a <see cref="StateStore"/>; implemented by generated <see cref="StateNodeAttribute"/> classes.</summary>
public interface IStateNode
{
    /// <summary>Gets the store the node reads and writes.</summary>
    StateStore Store { get; }

    /// <summary>Gets the path of the node in the store.</summary>
    StatePath Path { get; }
}
