namespace ReactiveStore;

/// <summary>Marks a partial class as a typed state node; the ReactiveStore generator implements its partial state properties.</summary>
/// <remarks>The class (and every containing type) must be <see langword="partial"/>. See <c>docs/generator.md</c>.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StateNodeAttribute : Attribute
{
    /// <summary>Marks a node whose default path is the camelCase name of the class.</summary>
    public StateNodeAttribute()
    {
    }

    /// <summary>Marks a node whose default path (used when it is a root) is <paramref name="path"/>.</summary>
    /// <param name="path">A dotted path such as <c>shop</c> or <c>app.settings</c>.</param>
    public StateNodeAttribute(string path)
    {
        Path = path;
    }

    /// <summary>Gets the default path of the node, or <see langword="null"/> for the camelCase class name.</summary>
    public string? Path { get; }
}
