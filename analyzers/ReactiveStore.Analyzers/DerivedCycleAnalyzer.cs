using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ReactiveStore.CodeAnalysis;

namespace ReactiveStore.Analyzers;

/// <summary>
/// Finds cycles among <c>[Derived]</c> members (RST0003). The dependencies are what the generator records: the state a compute
/// method reads, found by the linked <see cref="DerivedDependencyCollector"/>. A cycle inside one class is reported while that
/// class is analyzed; a cycle through child nodes or map entries of other classes is reported at compilation end, once every
/// node has been seen.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DerivedCycleAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.DerivedCycle,
        DiagnosticDescriptors.DerivedCycleAcrossNodes);

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

            var graph = new ConcurrentBag<Edge>();
            start.RegisterSymbolStartAction(symbolStart => AnalyzeNode(symbolStart, known, graph), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(endContext => ReportCrossNodeCycles(endContext, graph));
        });
    }

    // The compute methods' reads are collected per method body (in parallel with other analysis); the class is judged
    // when all its members have been seen.
    private static void AnalyzeNode(SymbolStartAnalysisContext context, KnownSymbols known, ConcurrentBag<Edge> graph)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        CancellationToken cancellationToken = context.CancellationToken;
        if (type.TypeKind != TypeKind.Class || !known.IsStateNode(type) || !StateMemberClassifier.IsSupportedNode(type, cancellationToken))
        {
            return;
        }

        var computeMethods = new Dictionary<IMethodSymbol, IPropertySymbol>(SymbolEqualityComparer.Default);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IPropertySymbol { IsPartialDefinition: true } property
                && KnownSymbols.Find(property, known.DerivedAttribute) is not null
                && StateMemberClassifier.Classify(property, cancellationToken) == StateMemberKind.Derived
                && StateMemberClassifier.FindComputeMethod(property) is { } compute
                && !computeMethods.ContainsKey(compute))
            {
                computeMethods.Add(compute, property);
            }
        }

        if (computeMethods.Count == 0)
        {
            return;
        }

        var local = new ConcurrentBag<Edge>();
        context.RegisterOperationBlockAction(block =>
        {
            if (block.OwningSymbol is not IMethodSymbol method || !computeMethods.TryGetValue(method, out IPropertySymbol? property))
            {
                return;
            }

            foreach (StateRead read in DerivedDependencyCollector.Collect(method, type, block.CancellationToken))
            {
                if (read.Kind == StateMemberKind.Derived && ResolveDerived(type, read.Path, block.CancellationToken) is { } target)
                {
                    local.Add(new Edge(property, target, Direct: read.Path.IndexOf('.') < 0));
                }
            }
        });

        context.RegisterSymbolEndAction(end =>
        {
            // Cycles of direct reads inside this class: reported now, also while typing in the IDE.
            var direct = new List<Edge>();
            foreach (Edge edge in local)
            {
                graph.Add(edge);
                if (edge.Direct)
                {
                    direct.Add(edge);
                }
            }

            foreach ((IPropertySymbol member, List<IPropertySymbol> cycle) in FindCycles(direct, end.CancellationToken))
            {
                end.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.DerivedCycle, member.Locations[0], member.Name, string.Join(" → ", cycle.Select(static p => p.Name))));
            }
        });
    }

    private static void ReportCrossNodeCycles(CompilationAnalysisContext context, ConcurrentBag<Edge> graph)
    {
        var edges = graph.ToList();
        if (edges.Count == 0)
        {
            return;
        }

        // A member already in a cycle of direct reads was reported by its class.
        var direct = new List<Edge>();
        foreach (Edge edge in edges)
        {
            if (edge.Direct)
            {
                direct.Add(edge);
            }
        }

        var reported = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
        foreach ((IPropertySymbol member, _) in FindCycles(direct, context.CancellationToken))
        {
            reported.Add(member);
        }

        foreach ((IPropertySymbol member, List<IPropertySymbol> cycle) in FindCycles(edges, context.CancellationToken))
        {
            if (reported.Contains(member) || member.Locations.Length == 0 || !member.Locations[0].IsInSource)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.DerivedCycleAcrossNodes,
                member.Locations[0],
                member.Name,
                string.Join(" → ", cycle.Select(static p => p.ContainingType.Name + "." + p.Name))));
        }
    }

    /// <summary>Every member on a cycle, with the shortest cycle from it back to itself (the member first and last).</summary>
    private static List<(IPropertySymbol Member, List<IPropertySymbol> Cycle)> FindCycles(List<Edge> edges, CancellationToken cancellationToken)
    {
        var successors = new Dictionary<IPropertySymbol, List<IPropertySymbol>>(SymbolEqualityComparer.Default);
        foreach (Edge edge in edges)
        {
            if (!successors.TryGetValue(edge.From, out List<IPropertySymbol>? list))
            {
                list = new List<IPropertySymbol>();
                successors.Add(edge.From, list);
            }

            if (!list.Contains(edge.To, SymbolEqualityComparer.Default))
            {
                list.Add(edge.To);
            }
        }

        var result = new List<(IPropertySymbol, List<IPropertySymbol>)>();
        foreach (IPropertySymbol start in successors.Keys.OrderBy(static p => p.ContainingType.Name, StringComparer.Ordinal).ThenBy(static p => p.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ShortestCycle(start, successors) is { } cycle)
            {
                result.Add((start, cycle));
            }
        }

        return result;
    }

    // Breadth-first from the start's successors back to the start: iterative, so deep chains cannot overflow the stack.
    private static List<IPropertySymbol>? ShortestCycle(IPropertySymbol start, Dictionary<IPropertySymbol, List<IPropertySymbol>> successors)
    {
        var previous = new Dictionary<IPropertySymbol, IPropertySymbol>(SymbolEqualityComparer.Default);
        var queue = new Queue<IPropertySymbol>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            IPropertySymbol current = queue.Dequeue();
            if (!successors.TryGetValue(current, out List<IPropertySymbol>? next))
            {
                continue;
            }

            foreach (IPropertySymbol successor in next)
            {
                if (SymbolEqualityComparer.Default.Equals(successor, start))
                {
                    var cycle = new List<IPropertySymbol> { start };
                    for (IPropertySymbol step = current; !SymbolEqualityComparer.Default.Equals(step, start); step = previous[step])
                    {
                        cycle.Insert(1, step);
                    }

                    cycle.Add(start);
                    return cycle;
                }

                if (!previous.ContainsKey(successor))
                {
                    previous.Add(successor, current);
                    queue.Enqueue(successor);
                }
            }
        }

        return null;
    }

    /// <summary>The derived property a node-relative path such as <c>cart.subtotal</c> or <c>products.a.price</c> ends at.</summary>
    private static IPropertySymbol? ResolveDerived(INamedTypeSymbol node, string path, CancellationToken cancellationToken)
    {
        string[] segments = path.Split('.');
        INamedTypeSymbol current = node;
        for (int i = 0; i < segments.Length; i++)
        {
            IPropertySymbol? member = FindMember(current, segments[i], cancellationToken, out StateMemberKind kind);
            if (member is null)
            {
                return null;
            }

            bool last = i == segments.Length - 1;
            switch (kind)
            {
                case StateMemberKind.Derived when last:
                    return member;
                case StateMemberKind.Child when !last && member.Type is INamedTypeSymbol child:
                    current = child;
                    break;
                case StateMemberKind.Map when i + 2 < segments.Length && StateMemberClassifier.TryGetMapNodeType(member.Type, out INamedTypeSymbol? entry):
                    current = entry!;
                    i++; // the key segment
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    private static IPropertySymbol? FindMember(INamedTypeSymbol type, string segment, CancellationToken cancellationToken, out StateMemberKind kind)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IPropertySymbol { IsPartialDefinition: true } property
                && StateNaming.TryGetSegment(property, out string candidate)
                && string.Equals(candidate, segment, StringComparison.Ordinal))
            {
                kind = StateMemberClassifier.Classify(property, cancellationToken);
                return property;
            }
        }

        kind = StateMemberKind.None;
        return null;
    }

    /// <summary>A derived member reading another; <see cref="Direct"/> when the other is a member of the same node instance.</summary>
    private readonly record struct Edge(IPropertySymbol From, IPropertySymbol To, bool Direct);
}
