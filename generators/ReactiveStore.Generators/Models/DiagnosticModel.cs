using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ReactiveStore.Generators.Models;

/// <summary>A diagnostic the generator reports, as a value for the pipeline.</summary>
/// <param name="Id">The diagnostic ID (a descriptor of <c>DiagnosticDescriptors</c>).</param>
/// <param name="Tree">The user's syntax tree it points into: a location in the tree itself lets the IDE offer the code fix. Compared by
/// reference, and a tree changes only when its file is edited, so caching stays honest; only classes with a problem carry one.</param>
/// <param name="Span">The span it points at.</param>
/// <param name="Message">The formatted message.</param>
internal sealed record DiagnosticModel(string Id, SyntaxTree Tree, TextSpan Span, string Message);
