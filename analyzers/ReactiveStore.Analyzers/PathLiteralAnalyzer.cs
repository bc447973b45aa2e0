using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ReactiveStore.Analyzers;

/// <summary>
/// Checks constant strings passed as paths, selectors or segments to the ReactiveStore API (RST0002) with the grammar the
/// runtime uses (<c>PathGrammar</c>, linked as source): <c>StateStore</c> and batch writers, <c>TrackingContext</c>,
/// <c>DeriveData</c>, <c>StatePath.Parse</c>/<c>Append</c>, <c>PathSelector.Parse</c>, <c>new StateKey&lt;T&gt;(string)</c>, and the
/// keys of generated <c>StateMap&lt;TNode&gt;</c> members.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PathLiteralAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> s_writes = ImmutableHashSet.Create(StringComparer.Ordinal, "Set", "GetOrAdd", "Delete");

    private enum Role
    {
        None,
        Path,
        PathOrRoot,
        WritablePath,
        Selector,
        Segment,
        MapKey,
    }

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidPathLiteral);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            KnownSymbols known = KnownSymbols.Create(start.Compilation);
            if (known.StatePath is null)
            {
                return;
            }

            start.RegisterOperationAction(
                operationContext =>
                {
                    (IMethodSymbol? method, ImmutableArray<IArgumentOperation> arguments) = operationContext.Operation switch
                    {
                        IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
                        IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
                        IPropertyReferenceOperation { Property.IsIndexer: true } indexer => (indexer.Property.GetMethod ?? indexer.Property.SetMethod, indexer.Arguments),
                        _ => (null, ImmutableArray<IArgumentOperation>.Empty),
                    };

                    if (method is null || arguments.IsEmpty)
                    {
                        return;
                    }

                    foreach (IArgumentOperation argument in arguments)
                    {
                        if (argument.Parameter is { } parameter && argument.ArgumentKind != ArgumentKind.DefaultValue)
                        {
                            Role role = GetRole(method, parameter, known);
                            if (role != Role.None)
                            {
                                Check(operationContext, argument.Value, role, method);
                            }
                        }
                    }
                },
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.PropertyReference);
        });
    }

    private static Role GetRole(IMethodSymbol method, IParameterSymbol parameter, KnownSymbols known)
    {
        INamedTypeSymbol? type = method.ContainingType?.OriginalDefinition;
        if (type is null || !IsStringOrStrings(parameter.Type) || method.Name.StartsWith("Try", StringComparison.Ordinal) && method.Name.EndsWith("Parse", StringComparison.Ordinal))
        {
            return Role.None;
        }

        string name = parameter.Name;
        if (KnownSymbols.IsType(type, known.StatePath))
        {
            return method.Name switch
            {
                "Parse" when name == "path" => Role.Path,
                "Append" when name == "segment" => Role.Segment,
                _ => Role.None,
            };
        }

        if (KnownSymbols.IsType(type, known.PathSelector))
        {
            return method.Name == "Parse" && name == "selector" ? Role.Selector : Role.None;
        }

        if (KnownSymbols.IsType(type, known.StateKey))
        {
            return method.MethodKind == MethodKind.Constructor && name == "path" ? Role.Path : Role.None;
        }

        if (KnownSymbols.IsType(type, known.StateMap))
        {
            return name == "key" ? Role.MapKey : Role.None;
        }

        bool isStore = KnownSymbols.IsType(type, known.StateStore);
        bool isWriter = KnownSymbols.IsType(type, known.StateWriter)
            || (known.StateWriter is not null && type.AllInterfaces.Contains(known.StateWriter, SymbolEqualityComparer.Default));
        if (isStore || isWriter)
        {
            return name switch
            {
                "selector" => Role.Selector,
                "path" when method.Name == "GetNode" => Role.PathOrRoot,
                "path" when s_writes.Contains(method.Name) => Role.WritablePath,
                "destination" => Role.WritablePath,
                "path" or "source" or "sources" => Role.Path,
                "prefix" => Role.PathOrRoot,
                _ => Role.None,
            };
        }

        if (KnownSymbols.IsType(type, known.TrackingContext) || KnownSymbols.IsType(type, known.DeriveData))
        {
            return name is "path" or "source" ? Role.Path : Role.None;
        }

        return Role.None;
    }

    private static bool IsStringOrStrings(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_String
        || (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
            && named.TypeArguments[0].SpecialType == SpecialType.System_String);

    private static void Check(OperationAnalysisContext context, IOperation value, Role role, IMethodSymbol method)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                foreach (IOperation element in initializer.ElementValues)
                {
                    Check(context, element, role, method);
                }

                return;
            case ICollectionExpressionOperation collection:
                foreach (IOperation element in collection.Elements)
                {
                    Check(context, element, role, method);
                }

                return;
        }

        if (!value.ConstantValue.HasValue || value.ConstantValue.Value is not string text)
        {
            return;
        }

        string? problem = role switch
        {
            Role.Path => PathMessages.CheckPath(text, selector: false, rejectReserved: false),
            Role.PathOrRoot => text.Length == 0 ? null : PathMessages.CheckPath(text, selector: false, rejectReserved: false),
            Role.WritablePath => PathMessages.CheckPath(text, selector: false, rejectReserved: true),
            Role.Selector => PathMessages.CheckPath(text, selector: true, rejectReserved: false),
            Role.Segment => PathMessages.CheckSegment(text, rejectReserved: false),
            Role.MapKey => PathMessages.CheckMapKey(text),
            _ => null,
        };

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidPathLiteral, value.Syntax.GetLocation(), problem.TrimEnd('.'), Describe(method)));
        }
    }

    private static string Describe(IMethodSymbol method)
    {
        string type = method.ContainingType.Name;
        return method.MethodKind switch
        {
            MethodKind.Constructor => "new " + type,
            MethodKind.PropertyGet or MethodKind.PropertySet => type + "[key]",
            _ => type + "." + method.Name,
        };
    }
}
