using ReactiveStore.Generators.Helpers;

namespace ReactiveStore.Generators.Models;

/// <summary>What the generator takes from one <c>[StateNode]</c> class: the model to emit (when it can implement the class) and the
/// diagnostics it must report itself.</summary>
/// <param name="Model">The node, or <see langword="null"/> when the class is skipped.</param>
/// <param name="Diagnostics">The diagnostics the compiler would otherwise never show (see <c>docs/analyzers.md</c>), usually none.</param>
internal sealed record NodeExtraction(NodeModel? Model, EquatableArray<DiagnosticModel> Diagnostics)
{
    /// <summary>A class that is not a node at all.</summary>
    public static NodeExtraction None { get; } = new(null, EquatableArray<DiagnosticModel>.Empty);
}
