using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ReactiveStore.CodeAnalysis;

namespace ReactiveStore.Analyzers;

/// <summary>
/// Checks the bodies of compute methods of <c>[Derived]</c> members: side effects (RST0007) and reads of members that are not
/// state, whose changes the derived value cannot follow (RST0008). Operation actions, registered only for compute methods.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ComputeMethodAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> s_storeSideEffects = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Set", "GetOrAdd", "Delete", "Ping", "Batch", "Subscribe", "Unsubscribe", "Watch", "Derive", "DeriveMany", "Track", "Shutdown", "Dispose", "DisposeAsync");

    private static readonly ImmutableHashSet<string> s_supportSideEffects = ImmutableHashSet.Create(
        StringComparer.Ordinal, "ApplyValue", "ApplyMap", "SubscribeValue", "SubscribeAll");

    private static readonly ImmutableHashSet<string> s_nodeSideEffects = ImmutableHashSet.Create(
        StringComparer.Ordinal, "Apply", "ApplyTo", "SubscribeAll", "Remove");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ComputeSideEffect,
        DiagnosticDescriptors.ComputeReadsNonState);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            KnownSymbols known = KnownSymbols.Create(start.Compilation);
            if (known.StateNodeAttribute is null || known.DerivedAttribute is null)
            {
                return;
            }

            start.RegisterOperationBlockStartAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false } method
                    || !known.IsStateNode(method.ContainingType)
                    || FindDerivedMember(method, known) is not { } derived)
                {
                    return;
                }

                var compute = new ComputeContext(method, derived, known);
                block.RegisterOperationAction(
                    compute.AnalyzeWrite,
                    OperationKind.SimpleAssignment,
                    OperationKind.CompoundAssignment,
                    OperationKind.CoalesceAssignment,
                    OperationKind.DeconstructionAssignment,
                    OperationKind.Increment,
                    OperationKind.Decrement,
                    OperationKind.EventAssignment);
                block.RegisterOperationAction(compute.AnalyzeInvocation, OperationKind.Invocation);
                block.RegisterOperationAction(compute.AnalyzeFieldRead, OperationKind.FieldReference);
                block.RegisterOperationAction(compute.AnalyzePropertyRead, OperationKind.PropertyReference);
            });
        });
    }

    /// <summary>The <c>[Derived]</c> member <paramref name="method"/> computes, if it is a compute method.</summary>
    private static IPropertySymbol? FindDerivedMember(IMethodSymbol method, KnownSymbols known)
    {
        foreach (ISymbol member in method.ContainingType.GetMembers())
        {
            if (member is IPropertySymbol { IsPartialDefinition: true } property
                && KnownSymbols.Find(property, known.DerivedAttribute) is not null
                && string.Equals(StateMemberClassifier.GetComputeMethodName(property), method.Name, StringComparison.Ordinal)
                && SymbolEqualityComparer.Default.Equals(StateMemberClassifier.FindComputeMethod(property), method))
            {
                return property;
            }
        }

        return null;
    }

    private sealed class ComputeContext(IMethodSymbol method, IPropertySymbol derived, KnownSymbols known)
    {
        public void AnalyzeWrite(OperationAnalysisContext context)
        {
            switch (context.Operation)
            {
                case IEventAssignmentOperation eventAssignment:
                    string eventName = eventAssignment.EventReference is IEventReferenceOperation reference ? reference.Event.Name : "an event";
                    ReportSideEffect(context, (eventAssignment.Adds ? "subscribes to the event '" : "unsubscribes from the event '") + eventName + "'");
                    return;
                case IIncrementOrDecrementOperation increment when !IsLocalTarget(increment.Target, context.CancellationToken):
                    ReportSideEffect(context, (increment.Kind == OperationKind.Increment ? "increments '" : "decrements '") + Describe(increment.Target) + "'");
                    return;
                case IAssignmentOperation assignment when !IsLocalTarget(assignment.Target, context.CancellationToken):
                    ReportSideEffect(context, IsStateMember(assignment.Target, context.CancellationToken)
                        ? "writes the state member '" + Describe(assignment.Target) + "'"
                        : "assigns to '" + Describe(assignment.Target) + "', which is not a local variable");
                    return;
            }
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            IMethodSymbol target = invocation.TargetMethod;
            if (target.MethodKind == MethodKind.DelegateInvoke && RaisedEvent(invocation, out IOperation raiseSite) is { } raised)
            {
                ReportSideEffect(context, "raises the event '" + raised.Name + "'", raiseSite.Syntax.GetLocation());
                return;
            }

            INamedTypeSymbol? containing = target.ContainingType;
            bool sideEffect =
                (IsStoreType(containing) && s_storeSideEffects.Contains(target.Name))
                || (KnownSymbols.IsType(containing, known.StateNodeSupport) && s_supportSideEffects.Contains(target.Name))
                || ((KnownSymbols.IsType(containing, known.StateMap) || known.IsStateNode(containing))
                    && (s_nodeSideEffects.Contains(target.Name) || target.Name.StartsWith("Subscribe", StringComparison.Ordinal)));
            if (sideEffect)
            {
                ReportSideEffect(context, "calls '" + containing!.Name + "." + target.Name + "'");
            }
        }

        public void AnalyzeFieldRead(OperationAnalysisContext context)
        {
            var reference = (IFieldReferenceOperation)context.Operation;
            IFieldSymbol field = reference.Field;
            if (field.IsConst || field.IsReadOnly || field.IsImplicitlyDeclared || IsWriteTarget(reference))
            {
                return;
            }

            if (field.IsStatic)
            {
                ReportRead(context, "the static field '" + field.Name + "'");
            }
            else if (IsThis(reference.Instance))
            {
                ReportRead(context, "the field '" + field.Name + "'");
            }
        }

        public void AnalyzePropertyRead(OperationAnalysisContext context)
        {
            var reference = (IPropertyReferenceOperation)context.Operation;
            IPropertySymbol property = reference.Property.OriginalDefinition;
            if (!SymbolEqualityComparer.Default.Equals(property.ContainingType, method.ContainingType.OriginalDefinition)
                || (!property.IsStatic && !IsThis(reference.Instance))
                || IsWriteTarget(reference)
                || StateMemberClassifier.IsGeneratedMemberName(property.Name)
                || StateMemberClassifier.IsGeneratorOutput(property))
            {
                return;
            }

            StateMemberKind kind = StateMemberClassifier.Classify(property, context.CancellationToken);
            if (kind is not (StateMemberKind.None or StateMemberKind.Unsupported))
            {
                return;
            }

            // A settable property can change without the store knowing; a get-only one is either fixed or computed from
            // something else (which tracking at run time sees when it is state).
            if (property.SetMethod is { IsInitOnly: false } || (property.IsPartialDefinition && kind == StateMemberKind.Unsupported))
            {
                ReportRead(context, "the property '" + property.Name + "'");
            }
        }

        private bool IsLocalTarget(IOperation target, CancellationToken cancellationToken)
        {
            switch (target)
            {
                case ILocalReferenceOperation:
                case IDiscardOperation:
                case IDeclarationExpressionOperation:
                    return true;
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter.RefKind == RefKind.None;
                case ITupleOperation tuple:
                    return tuple.Elements.All(element => IsLocalTarget(element, cancellationToken));
                case IConversionOperation conversion:
                    return IsLocalTarget(conversion.Operand, cancellationToken);
                case IArrayElementReferenceOperation element:
                    return IsLocalValue(element.ArrayReference);
                case IFieldReferenceOperation field:
                    return !field.Field.IsStatic && IsLocalValue(field.Instance);
                case IPropertyReferenceOperation property:
                    return !property.Property.IsStatic && IsLocalValue(property.Instance) && !IsStateMember(property, cancellationToken);
                default:
                    return false;
            }
        }

        private static bool IsLocalValue(IOperation? operation) =>
            operation is ILocalReferenceOperation || operation is IParameterReferenceOperation { Parameter.RefKind: RefKind.None };

        private bool IsStateMember(IOperation target, CancellationToken cancellationToken) =>
            target is IPropertyReferenceOperation { Property: var property }
            && known.IsStateNode(property.ContainingType)
            && StateMemberClassifier.Classify(property.OriginalDefinition, cancellationToken) is not (StateMemberKind.None or StateMemberKind.Unsupported);

        /// <summary>The event an invocation raises (<c>E(…)</c>, <c>E.Invoke(…)</c>, <c>E?.Invoke(…)</c>) and the whole raising expression.</summary>
        private static IEventSymbol? RaisedEvent(IInvocationOperation invocation, out IOperation site)
        {
            site = invocation;
            IOperation? instance = invocation.Instance;
            if (instance is IConditionalAccessInstanceOperation)
            {
                for (IOperation? parent = invocation.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IConditionalAccessOperation access)
                    {
                        instance = access.Operation;
                        site = access;
                        break;
                    }
                }
            }

            return (instance as IEventReferenceOperation)?.Event;
        }

        private bool IsStoreType(INamedTypeSymbol? type)
        {
            if (KnownSymbols.IsType(type, known.StateStore) || KnownSymbols.IsType(type, known.StateWriter))
            {
                return true;
            }

            return type is not null && known.StateWriter is not null && type.AllInterfaces.Contains(known.StateWriter, SymbolEqualityComparer.Default);
        }

        private static bool IsThis(IOperation? instance) =>
            instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

        private static bool IsWriteTarget(IOperation reference) =>
            reference.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference)
            || reference.Parent is IIncrementOrDecrementOperation;

        private static string Describe(IOperation target) => target switch
        {
            IFieldReferenceOperation field => field.Field.Name,
            IPropertyReferenceOperation property => property.Property.Name,
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            IArrayElementReferenceOperation element => element.Syntax.ToString(),
            IEventReferenceOperation eventReference => eventReference.Event.Name,
            _ => target.Syntax.ToString(),
        };

        private void ReportSideEffect(OperationAnalysisContext context, string what, Location? location = null) =>
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ComputeSideEffect, location ?? context.Operation.Syntax.GetLocation(), method.Name, what));

        private void ReportRead(OperationAnalysisContext context, string what) =>
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ComputeReadsNonState, context.Operation.Syntax.GetLocation(), method.Name, what, derived.Name));
    }
}
