// Shared with the analyzers (linked as source): keep it netstandard2.0 and free of generator-only types.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ReactiveStore.CodeAnalysis;

/// <summary>One state read found in a compute method: the node-relative path and what it reads.</summary>
internal readonly struct StateRead
{
    public StateRead(string path, StateMemberKind kind, string? derivedAccess)
    {
        Path = path;
        Kind = kind;
        DerivedAccess = derivedAccess;
    }

    /// <summary>The dotted path relative to the node, for example <c>cart.subtotal</c>.</summary>
    public string Path { get; }

    /// <summary>What is read: a stored or derived value, or a whole child node or map (a prefix dependency).</summary>
    public StateMemberKind Kind { get; }

    /// <summary>For a derived value reached through property accesses only, the C# access from the node, for example <c>Cart.Subtotal</c>.</summary>
    public string? DerivedAccess { get; }
}

/// <summary>
/// Reads the body of a compute method and finds the state it reads: members of the node (<c>TaxRate</c>), of child nodes
/// (<c>Cart.Subtotal</c>), of map entries with constant keys (<c>Products["a"].Price</c>), and other derived members. A map
/// read with a non-constant key, or a child node or map used as a whole, is a dependency on its whole subtree.
/// </summary>
/// <remarks>Only the method's own body is read (not methods it calls): reads the static view misses are still caught at
/// run time, because the computation runs under tracking.</remarks>
internal static class DerivedDependencyCollector
{
    /// <param name="computeMethod">The compute method.</param>
    /// <param name="node">The node type the method belongs to.</param>
    /// <param name="compilation">The compilation.</param>
    /// <param name="knownModel">A semantic model the caller already has (reused when the method is in its tree, so binding is shared).</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public static List<StateRead> Collect(IMethodSymbol computeMethod, INamedTypeSymbol node, Compilation compilation, SemanticModel? knownModel, CancellationToken cancellationToken)
    {
        var reads = new List<StateRead>();
        foreach (SyntaxReference reference in computeMethod.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not MethodDeclarationSyntax method)
            {
                continue;
            }

            SyntaxNode? body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
            if (body is null)
            {
                continue;
            }

            SemanticModel model = knownModel is not null && knownModel.SyntaxTree == method.SyntaxTree
                ? knownModel
                : compilation.GetSemanticModel(method.SyntaxTree);
            IOperation? root = model.GetOperation(body, cancellationToken);
            if (root is null)
            {
                continue;
            }

            foreach (IOperation operation in root.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                CollectOne(operation, node, reads, cancellationToken);
            }
        }

        return reads;
    }

    private static void CollectOne(IOperation operation, INamedTypeSymbol node, List<StateRead> reads, CancellationToken cancellationToken)
    {
        if (operation is not (IPropertyReferenceOperation or IInvocationOperation))
        {
            return;
        }

        if (!TryResolve(operation, node, cancellationToken, out Chain chain))
        {
            // A map entry with a key only known at run time: depend on the whole map.
            if (TryGetMapAccess(operation, out IOperation? mapInstance, out _)
                && TryResolve(mapInstance!, node, cancellationToken, out Chain map) && map.Kind == StateMemberKind.Map)
            {
                reads.Add(new StateRead(map.Path, StateMemberKind.Map, null));
            }

            return;
        }

        switch (chain.Kind)
        {
            case StateMemberKind.Stored:
                reads.Add(new StateRead(chain.Path, chain.Kind, null));
                break;
            case StateMemberKind.Derived:
                reads.Add(new StateRead(chain.Path, chain.Kind, chain.Access));
                break;
            case StateMemberKind.Child or StateMemberKind.Map:
                // A node or map used as a whole (not as the start of a longer state chain) depends on its subtree.
                if (!ContinuesChain(operation, node, cancellationToken))
                {
                    reads.Add(new StateRead(chain.Path, chain.Kind, null));
                }

                break;
        }
    }

    private static bool ContinuesChain(IOperation operation, INamedTypeSymbol node, CancellationToken cancellationToken)
    {
        IOperation? parent = operation.Parent;
        IOperation? instance = parent switch
        {
            IPropertyReferenceOperation property => property.Instance,
            IInvocationOperation invocation => invocation.Instance,
            _ => null,
        };

        if (!ReferenceEquals(instance, operation))
        {
            return false;
        }

        if (TryResolve(parent!, node, cancellationToken, out _))
        {
            return true;
        }

        // Products[key] with a run-time key is recorded as the map itself by the parent.
        return TryGetMapAccess(parent!, out _, out _);
    }

    private static bool TryResolve(IOperation operation, INamedTypeSymbol node, CancellationToken cancellationToken, out Chain chain)
    {
        chain = default;
        switch (operation)
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } self
                when SymbolEqualityComparer.Default.Equals(self.Type, node):
                chain = new Chain(string.Empty, StateMemberKind.Child, string.Empty);
                return true;

            case IConversionOperation { IsImplicit: true } conversion:
                return TryResolve(conversion.Operand, node, cancellationToken, out chain);
        }

        if (TryGetMapAccess(operation, out IOperation? mapInstance, out string? key))
        {
            if (key is null || !StateNaming.IsUsableSegment(key)
                || !TryResolve(mapInstance!, node, cancellationToken, out Chain map) || map.Kind != StateMemberKind.Map)
            {
                return false;
            }

            chain = new Chain(Append(map.Path, key), StateMemberKind.Child, null);
            return true;
        }

        if (operation is not IPropertyReferenceOperation { Instance: { } instance } reference
            || !TryResolve(instance, node, cancellationToken, out Chain owner) || owner.Kind != StateMemberKind.Child)
        {
            return false;
        }

        IPropertySymbol property = reference.Property.OriginalDefinition;
        if (!StateMemberClassifier.IsSupportedNode(property.ContainingType, cancellationToken))
        {
            return false;
        }

        StateMemberKind kind = StateMemberClassifier.Classify(property, cancellationToken);
        if (kind is StateMemberKind.None or StateMemberKind.Unsupported || !StateNaming.TryGetSegment(property, out string segment))
        {
            return false;
        }

        string? access = owner.Access is null ? null : (owner.Access.Length == 0 ? property.Name : owner.Access + "." + property.Name);
        chain = new Chain(Append(owner.Path, segment), kind, access);
        return true;
    }

    /// <summary>Whether the operation is <c>map[key]</c> or <c>map.Get(key)</c> on a <c>StateMap&lt;T&gt;</c>, with the key when it is a constant.</summary>
    private static bool TryGetMapAccess(IOperation operation, out IOperation? mapInstance, out string? key)
    {
        mapInstance = null;
        key = null;
        (IOperation? instance, ITypeSymbol? containing, ImmutableArray<IArgumentOperation> arguments) = operation switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: true } indexer => (indexer.Instance, indexer.Property.ContainingType, indexer.Arguments),
            IInvocationOperation { TargetMethod.Name: "Get" } invocation => (invocation.Instance, invocation.TargetMethod.ContainingType, invocation.Arguments),
            _ => (null, null, ImmutableArray<IArgumentOperation>.Empty),
        };

        if (instance is null || containing is null || !StateMemberClassifier.TryGetMapNodeType(containing, out _) || arguments.Length != 1)
        {
            return false;
        }

        mapInstance = instance;
        key = arguments[0].Value.ConstantValue is { HasValue: true, Value: string constant } ? constant : null;
        return true;
    }

    private static string Append(string path, string segment) => path.Length == 0 ? segment : path + "." + segment;

    /// <summary>A resolved chain of state accesses from the node: its path, what it ends at, and its C# access when it is property accesses only.</summary>
    private readonly struct Chain
    {
        public Chain(string path, StateMemberKind kind, string? access)
        {
            Path = path;
            Kind = kind;
            Access = access;
        }

        public string Path { get; }

        public StateMemberKind Kind { get; }

        public string? Access { get; }
    }
}
