// Shared with the analyzers (linked as source).
namespace ReactiveStore.CodeAnalysis;

/// <summary>What a property of a <c>[StateNode]</c> class is.</summary>
internal enum StateMemberKind
{
    /// <summary>Not a state member: not a partial property declaration, or already implemented by hand.</summary>
    None,

    /// <summary>A stored value: a partial property with a getter and a setter (or init).</summary>
    Stored,

    /// <summary>A child node: a get-only partial property of a <c>[StateNode]</c> type.</summary>
    Child,

    /// <summary>Keyed children: a get-only partial property of type <c>StateMap&lt;TNode&gt;</c>.</summary>
    Map,

    /// <summary>A derived value: a get-only <c>[Derived]</c> partial property with a matching compute method.</summary>
    Derived,

    /// <summary>A partial property the generator cannot implement (the analyzers say why); it is skipped, except that a <c>[Derived]</c>
    /// one without a usable compute method gets a throwing placeholder (see <c>StateMemberClassifier.IsDerivedWithoutCompute</c>).</summary>
    Unsupported,
}
