using Microsoft.CodeAnalysis;

namespace ReactiveStore.Analyzers;

/// <summary>Every ReactiveStore diagnostic (SPEC §8). IDs are stable and never reused.</summary>
/// <remarks>
/// Help links are <c>{RepositoryUrl}/blob/main/docs/diagnostics/RST####.md</c>: the path after the repository address is the
/// page's place in this repository, so a link only changes if the repository moves (then <see cref="RepositoryUrl"/> alone changes).
/// </remarks>
internal static class DiagnosticDescriptors
{
    public const string InvalidAttributePathId = "RST0001";
    public const string InvalidPathLiteralId = "RST0002";
    public const string DerivedCycleId = "RST0003";
    public const string NodeNotPartialId = "RST0004";
    public const string DuplicateSegmentId = "RST0005";
    public const string ComputeMethodId = "RST0006";
    public const string ComputeSideEffectId = "RST0007";
    public const string ComputeReadsNonStateId = "RST0008";
    public const string NotSerializableId = "RST0009";
    public const string DiscardedSubscriptionId = "RST0010";

    /// <summary>The public address of the repository the help links point into.</summary>
    public const string RepositoryUrl = "https://github.com/reactivestore/reactivestore";

    private const string Usage = "ReactiveStore.Usage";
    private const string Design = "ReactiveStore.Design";
    private const string Reliability = "ReactiveStore.Reliability";

    /// <summary>Diagnostic property (RST0006): why the compute method does not fit; <see cref="ComputeMissing"/> is the fixable case.</summary>
    public const string ComputeProblemProperty = "Problem";

    /// <summary>Diagnostic property (RST0006): the name of the compute method the property expects.</summary>
    public const string ComputeMethodNameProperty = "MethodName";

    /// <summary>The value of <see cref="ComputeProblemProperty"/> when no member of that name exists.</summary>
    public const string ComputeMissing = "Missing";

    /// <summary>The value of <see cref="ComputeProblemProperty"/> when a member exists but does not fit.</summary>
    public const string ComputeMismatch = "Mismatch";

    /// <summary>The value of <see cref="ComputeProblemProperty"/> when the <c>[Derived]</c> property itself does not fit.</summary>
    public const string ComputePropertyShape = "PropertyShape";

    public static readonly DiagnosticDescriptor InvalidAttributePath = Create(
        InvalidAttributePathId,
        "Invalid path in a state attribute",
        "{0}",
        Usage,
        DiagnosticSeverity.Error,
        "A path in [StateNode(\"…\")] or a segment in [StatePath(\"…\")] (or the default one made from a class or member name) must follow the path grammar: segments of A-Z, a-z, 0-9 and '_', not starting with '__'.");

    public static readonly DiagnosticDescriptor InvalidPathLiteral = Create(
        InvalidPathLiteralId,
        "Invalid path or selector passed to the store",
        "{0}; '{1}' throws InvalidPathException for it",
        Usage,
        DiagnosticSeverity.Error,
        "A constant string passed as a path, selector or segment to the ReactiveStore API is checked with the same grammar the runtime uses; an invalid one always throws.");

    public static readonly DiagnosticDescriptor DerivedCycle = Create(
        DerivedCycleId,
        "Derived members form a cycle",
        "Derived member '{0}' depends on itself: {1}",
        Design,
        DiagnosticSeverity.Error,
        "The compute methods of [Derived] members read each other in a cycle, so none of them can be computed.");

    /// <summary>RST0003 for cycles that pass through other node classes; found when the whole compilation has been seen.</summary>
    public static readonly DiagnosticDescriptor DerivedCycleAcrossNodes = Create(
        DerivedCycleId,
        "Derived members form a cycle",
        "Derived member '{0}' depends on itself through other nodes: {1}",
        Design,
        DiagnosticSeverity.Error,
        "The compute methods of [Derived] members read each other in a cycle that passes through child nodes or map entries, so none of them can be computed.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor NodeNotPartial = Create(
        NodeNotPartialId,
        "State node class or containing type is not partial",
        "{0}",
        Usage,
        DiagnosticSeverity.Error,
        "The generator adds members to a [StateNode] class, so the class and every type containing it must be declared partial.");

    public static readonly DiagnosticDescriptor DuplicateSegment = Create(
        DuplicateSegmentId,
        "Two state members map to the same path segment",
        "State member '{0}' maps to the path segment '{1}', which '{2}' already uses",
        Usage,
        DiagnosticSeverity.Error,
        "Every state member of a node has its own path segment; two members on one segment would alias one value. Rename one or give it a [StatePath].");

    public static readonly DiagnosticDescriptor ComputeMethod = Create(
        ComputeMethodId,
        "Derived member has no matching compute method",
        "{0}",
        Usage,
        DiagnosticSeverity.Error,
        "A [Derived] get-only partial property is computed by an instance method Compute<Name>() (or the method named in [Derived(nameof(M))]) with no parameters that returns the property's type.");

    public static readonly DiagnosticDescriptor ComputeSideEffect = Create(
        ComputeSideEffectId,
        "Compute method has side effects",
        "Compute method '{0}' {1}; a compute method must only read state and return a value",
        Reliability,
        DiagnosticSeverity.Warning,
        "A compute method runs whenever the store decides to recompute, possibly several times or not at all; writes, store calls and event raising in it make the result depend on timing.");

    public static readonly DiagnosticDescriptor ComputeReadsNonState = Create(
        ComputeReadsNonStateId,
        "Compute method reads a non-state member",
        "Compute method '{0}' reads {1}, which is not state: '{2}' will not update when it changes",
        Reliability,
        DiagnosticSeverity.Warning,
        "A derived value recomputes when the state it reads changes; a field or ordinary property is not tracked, so the value goes stale when it changes.");

    public static readonly DiagnosticDescriptor NotSerializable = Create(
        NotSerializableId,
        "Stored member type cannot be serialized",
        "Stored member '{0}' has type '{1}', which System.Text.Json cannot serialize: {2}",
        Reliability,
        DiagnosticSeverity.Warning,
        "Stored values are serialized with System.Text.Json for durable storage and sync; a type it cannot serialize fails at run time.");

    public static readonly DiagnosticDescriptor DiscardedSubscription = Create(
        DiscardedSubscriptionId,
        "Subscription is discarded",
        "The {0} returned by '{1}' is discarded, so the subscription can never be disposed",
        Reliability,
        DiagnosticSeverity.Warning,
        "A subscription stays active until it is disposed; keep the returned object (a using declaration or a field) and dispose it when the subscriber goes away.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault: true, description, HelpLink(id), customTags);

    /// <summary>The help link of a diagnostic ID: its page under <c>docs/diagnostics/</c>.</summary>
    public static string HelpLink(string id) => RepositoryUrl + "/blob/main/docs/diagnostics/" + id + ".md";
}
