namespace ReactiveStore.Generators;

/// <summary>Names of the pipeline steps, for incrementality tests (<c>trackIncrementalGeneratorSteps</c>).</summary>
internal static class TrackingNames
{
    /// <summary>The transform of <c>ForAttributeWithMetadataName</c>: symbols to a node model (or null when skipped) and diagnostics.</summary>
    public const string Extract = nameof(Extract);

    /// <summary>The models of the nodes the generator can handle.</summary>
    public const string Nodes = nameof(Nodes);

    /// <summary>The diagnostics the generator reports itself (RST0004), per class that has any.</summary>
    public const string Problems = nameof(Problems);
}
