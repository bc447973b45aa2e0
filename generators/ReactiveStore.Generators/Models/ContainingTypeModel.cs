namespace ReactiveStore.Generators.Models;

/// <summary>A type that contains a node, as it must be re-declared: <c>partial class Outer&lt;T&gt;</c>.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>.</param>
/// <param name="NameWithTypeParameters">The name and type parameter list.</param>
internal sealed record ContainingTypeModel(string Keyword, string NameWithTypeParameters);
