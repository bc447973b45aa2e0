// Shared with the analyzers (linked as source): keep it netstandard2.0 and free of generator-only types.
namespace ReactiveStore.CodeAnalysis;

/// <summary>Metadata names of the runtime types the generator and analyzers recognise.</summary>
internal static class KnownNames
{
    public const string StateNodeAttribute = "ReactiveStore.StateNodeAttribute";
    public const string StatePathAttribute = "ReactiveStore.StatePathAttribute";
    public const string DerivedAttribute = "ReactiveStore.DerivedAttribute";
    public const string StateMapNamespace = "ReactiveStore";
    public const string StateMapName = "StateMap";
    public const string StateNodeInterfaceName = "IStateNode";
    public const string StateStoreName = "StateStore";
    public const string StatePathName = "StatePath";
    public const string ComputePrefix = "Compute";
    public const string GeneratedCodeAttribute = "System.CodeDom.Compiler.GeneratedCodeAttribute";
    public const string GeneratorToolName = "ReactiveStore.Generators";
}
