using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ReactiveStore.CodeAnalysis;
using ReactiveStore.Generators.Helpers;
using ReactiveStore.Generators.Models;

namespace ReactiveStore.Generators;

/// <summary>Turns <c>[StateNode]</c> partial classes into typed, reactive views of a <c>StateStore</c> (SPEC §7).</summary>
/// <remarks>The pipeline only: extraction is in <c>StateNodeGenerator.Extract.cs</c>, emission in <c>StateNodeGenerator.Emit.cs</c>.</remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class StateNodeGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<NodeExtraction> extracted = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.StateNodeAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (attributeContext, cancellationToken) => Extract(attributeContext, cancellationToken))
            .WithTrackingName(TrackingNames.Extract);

        IncrementalValuesProvider<NodeModel> nodes = extracted
            .Where(static extraction => extraction.Model is not null)
            .Select(static (extraction, _) => extraction.Model!)
            .WithTrackingName(TrackingNames.Nodes);

        IncrementalValuesProvider<EquatableArray<DiagnosticModel>> problems = extracted
            .Where(static extraction => !extraction.Diagnostics.IsEmpty)
            .Select(static (extraction, _) => extraction.Diagnostics)
            .WithTrackingName(TrackingNames.Problems);

        context.RegisterSourceOutput(nodes, static (productionContext, model) => Emit(productionContext, model));
        context.RegisterSourceOutput(problems, static (productionContext, diagnostics) => Report(productionContext, diagnostics));
    }
}
