namespace ReactiveStore.Tests.Generation;

/// <summary>A hand-written node, shaped like generated code, so the runtime pieces are tested without the generator.</summary>
internal sealed class ItemNode(StateStore store, StatePath path) : IStateNode<ItemNode>
{
    public static StatePath DefaultPath { get; } = StatePath.Parse("item");

    public StateStore Store { get; } = store;

    public StatePath Path { get; } = path;

    public StateKey<string?> Name => new(Path.Append("name"));

    public static ItemNode Create(StateStore store, StatePath path) => new(store, path);
}
