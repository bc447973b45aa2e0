using ReactiveStore.Generators.Helpers;

namespace ReactiveStore.Generators.Models;

/// <summary>Everything the emitter needs for one <c>[StateNode]</c> class: strings, bools and arrays only.</summary>
/// <param name="HintName">The generated file name, from the fully qualified metadata name.</param>
/// <param name="Namespace">The namespace, or "" for the global namespace.</param>
/// <param name="ContainingTypes">The containing types, outermost first.</param>
/// <param name="Name">The class name (escaped when it is a keyword).</param>
/// <param name="TypeParameters">The type parameter list, for example <c>&lt;T&gt;</c>, or "".</param>
/// <param name="FullyQualifiedName">The <c>global::</c> name with type parameters.</param>
/// <param name="DefaultPath">The path of the node as a root.</param>
/// <param name="Members">The state members the generator implements, in declaration order.</param>
/// <param name="Placeholders">The <c>[Derived]</c> members it cannot implement (RST0006), implemented as throwing placeholders.</param>
internal sealed record NodeModel(
    string HintName,
    string Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string Name,
    string TypeParameters,
    string FullyQualifiedName,
    string DefaultPath,
    EquatableArray<MemberModel> Members,
    EquatableArray<PlaceholderModel> Placeholders);
