using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ReactiveStore.Analyzers;

/// <summary>
/// Reports subscriptions whose handle is thrown away (RST0010): a call returning <c>Subscription</c> (the store's
/// <c>Subscribe</c>, generated <c>Subscribe&lt;Name&gt;</c>/<c>SubscribeAll</c>, <c>StateMap.SubscribeAll</c>), or
/// <c>Subscribe</c> on the observable of <c>StateStore.Observe</c> or a generated <c>&lt;Name&gt;Changes</c>, used as an expression
/// statement or assigned to the discard <c>_</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SubscriptionAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the name of the returned type (<c>Subscription</c> or <c>IDisposable</c>), for the field fix.</summary>
    public const string ReturnTypeProperty = "ReturnType";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.DiscardedSubscription);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            KnownSymbols known = KnownSymbols.Create(start.Compilation);
            if (known.Subscription is null)
            {
                return;
            }

            start.RegisterOperationAction(operationContext => Analyze(operationContext, known), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        ITypeSymbol returnType = method.ReturnType;
        string? what = null;
        if (KnownSymbols.DerivesFrom(returnType, known.Subscription))
        {
            what = returnType.Name;
        }
        else if (method.Name == "Subscribe" && IsDisposable(returnType, known) && IsStoreObservable(Receiver(invocation), known))
        {
            what = returnType.Name;
        }

        if (what is null || !IsDiscarded(invocation, out IOperation discarded))
        {
            return;
        }

        string target = method.ContainingType is { } type ? type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "." + method.Name : method.Name;
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.DiscardedSubscription,
            discarded.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(ReturnTypeProperty, returnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)),
            what,
            target));
    }

    private static bool IsDisposable(ITypeSymbol type, KnownSymbols known) =>
        SymbolEqualityComparer.Default.Equals(type, known.Disposable) || type.AllInterfaces.Contains(known.Disposable, SymbolEqualityComparer.Default);

    private static IOperation? Receiver(IInvocationOperation invocation)
    {
        IOperation? receiver = invocation.Instance;
        if (receiver is null && invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0)
        {
            receiver = invocation.Arguments[0].Value;
        }

        while (receiver is IConversionOperation { IsImplicit: true } conversion)
        {
            receiver = conversion.Operand;
        }

        return receiver;
    }

    /// <summary>Whether the receiver of <c>Subscribe</c> is <c>store.Observe(…)</c> or a generated <c>&lt;Name&gt;Changes</c> observable.</summary>
    private static bool IsStoreObservable(IOperation? receiver, KnownSymbols known) => receiver switch
    {
        IInvocationOperation { TargetMethod: { Name: "Observe" or "ObserveValue" } observe } =>
            KnownSymbols.IsType(observe.ContainingType, known.StateStore) || KnownSymbols.IsType(observe.ContainingType, known.StateNodeSupport),
        IPropertyReferenceOperation { Property: { } property } =>
            property.Name.EndsWith("Changes", StringComparison.Ordinal)
            && known.IsStateNode(property.ContainingType)
            && KnownSymbols.IsType(property.Type, known.Observable),
        _ => false,
    };

    /// <summary>Whether the value is dropped: an expression statement (possibly <c>a?.B()</c>) or <c>_ = …</c>.</summary>
    internal static bool IsDiscarded(IOperation operation, out IOperation discarded)
    {
        IOperation current = operation;
        while (current.Parent is IConditionalAccessOperation access && ReferenceEquals(access.WhenNotNull, current))
        {
            current = access;
        }

        discarded = current;
        return current.Parent switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation { Target: IDiscardOperation } assignment => ReferenceEquals(assignment.Value, current)
                && assignment.Parent is IExpressionStatementOperation,
            _ => false,
        };
    }
}
