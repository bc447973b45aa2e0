// Shared with the analyzers (linked as source): keep it netstandard2.0 and free of generator-only types.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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
/// Reads the body of a compute method and finds the state it reads: members of the node (<c>TaxRate</c>, <c>this.TaxRate</c>),
/// of child nodes (<c>Cart.Subtotal</c>), of map entries with constant keys (<c>Products["a"].Price</c>), and other derived
/// members. A map read with a key known only at run time, or a child node or map used as a whole (<c>Lines.Keys</c>), is a
/// dependency on its whole subtree.
/// </summary>
/// <remarks>
/// <para>The walk is syntactic, with symbol lookups by name in the node types: it never binds the method body. Binding
/// (<c>GetOperation</c>) runs nullable analysis of the whole method and made this step the cost of the generator on every
/// edit. A simple name declared in the method (a local, a parameter, a pattern or range variable) is not a state read.</para>
/// <para>Only the method's own body is read, not methods it calls: reads the static view misses are still caught at run time,
/// because the computation runs under tracking. The result is the compile-time view; the run-time dependencies are exact.</para>
/// </remarks>
internal static class DerivedDependencyCollector
{
    public static List<StateRead> Collect(IMethodSymbol computeMethod, INamedTypeSymbol node, CancellationToken cancellationToken)
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

            var walker = new Walker(node, DeclaredNames(method), cancellationToken);
            foreach (SyntaxNode syntax in body.DescendantNodesAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (syntax is ExpressionSyntax expression)
                {
                    walker.CollectOne(expression, reads);
                }
            }
        }

        return reads;
    }

    /// <summary>Every name the method declares: parameters, locals, pattern, foreach, catch and range variables, lambda parameters, local functions.</summary>
    private static HashSet<string> DeclaredNames(MethodDeclarationSyntax method)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (SyntaxNode syntax in method.DescendantNodes())
        {
            SyntaxToken identifier = syntax switch
            {
                ParameterSyntax parameter => parameter.Identifier,
                VariableDeclaratorSyntax variable => variable.Identifier,
                SingleVariableDesignationSyntax designation => designation.Identifier,
                ForEachStatementSyntax forEach => forEach.Identifier,
                CatchDeclarationSyntax catchDeclaration => catchDeclaration.Identifier,
                FromClauseSyntax from => from.Identifier,
                LetClauseSyntax let => let.Identifier,
                JoinClauseSyntax join => join.Identifier,
                QueryContinuationSyntax continuation => continuation.Identifier,
                LocalFunctionStatementSyntax localFunction => localFunction.Identifier,
                _ => default,
            };

            if (identifier.RawKind != 0)
            {
                names.Add(identifier.ValueText);
            }
        }

        return names;
    }

    private sealed class Walker
    {
        private readonly INamedTypeSymbol _node;
        private readonly HashSet<string> _declared;
        private readonly CancellationToken _cancellationToken;

        public Walker(INamedTypeSymbol node, HashSet<string> declared, CancellationToken cancellationToken)
        {
            _node = node;
            _declared = declared;
            _cancellationToken = cancellationToken;
        }

        public void CollectOne(ExpressionSyntax expression, List<StateRead> reads)
        {
            if (!IsChainCandidate(expression) || IsInsideNameof(expression))
            {
                return;
            }

            if (!TryResolve(expression, out Chain chain))
            {
                // A map entry with a key only known at run time: depend on the whole map.
                if (TryGetMapAccess(expression, out ExpressionSyntax? map, out _)
                    && TryResolve(map!, out Chain mapChain) && mapChain.Kind == StateMemberKind.Map)
                {
                    reads.Add(new StateRead(mapChain.Path, StateMemberKind.Map, null));
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
                case StateMemberKind.Child or StateMemberKind.Map when chain.Path.Length > 0 && !ContinuesChain(expression):
                    // A node or map used as a whole (not as the start of a longer state chain) depends on its subtree.
                    reads.Add(new StateRead(chain.Path, chain.Kind, null));
                    break;
            }
        }

        /// <summary>Simple names (not the right side of a member access), member accesses, element accesses and <c>Get</c> calls.</summary>
        private static bool IsChainCandidate(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax name => !(name.Parent is MemberAccessExpressionSyntax access && access.Name == name),
            MemberAccessExpressionSyntax access => access.IsKind(SyntaxKind.SimpleMemberAccessExpression)
                && !(access.Parent is InvocationExpressionSyntax invocation && invocation.Expression == access),
            ElementAccessExpressionSyntax => true,
            InvocationExpressionSyntax => true,
            _ => false,
        };

        private static bool IsInsideNameof(SyntaxNode syntax)
        {
            for (SyntaxNode? current = syntax.Parent; current is not null and not StatementSyntax; current = current.Parent)
            {
                if (current is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether the parent expression continues a state chain from this one (so this one is not recorded alone).</summary>
        private bool ContinuesChain(ExpressionSyntax expression)
        {
            SyntaxNode? parent = expression.Parent;
            while (parent is ParenthesizedExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
            {
                expression = (ExpressionSyntax)parent;
                parent = parent.Parent;
            }

            ExpressionSyntax? next = parent switch
            {
                MemberAccessExpressionSyntax access when access.Expression == expression
                    => access.Parent is InvocationExpressionSyntax invocation && invocation.Expression == access ? invocation : access,
                ElementAccessExpressionSyntax element when element.Expression == expression => element,
                _ => null,
            };

            return next is not null && (TryResolve(next, out _) || TryGetMapAccess(next, out _, out _));
        }

        private bool TryResolve(ExpressionSyntax expression, out Chain chain)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            chain = default;
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    return TryResolve(parenthesized.Expression, out chain);
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed:
                    return TryResolve(suppressed.Operand, out chain);
                case ThisExpressionSyntax:
                    chain = new Chain(string.Empty, StateMemberKind.Child, string.Empty, _node);
                    return true;
                case IdentifierNameSyntax name:
                    return !_declared.Contains(name.Identifier.ValueText)
                        && TryResolveMember(new Chain(string.Empty, StateMemberKind.Child, string.Empty, _node), name.Identifier.ValueText, out chain);
                case MemberAccessExpressionSyntax { Name: IdentifierNameSyntax memberName } access when access.IsKind(SyntaxKind.SimpleMemberAccessExpression):
                    return TryResolve(access.Expression, out Chain owner) && owner.Kind == StateMemberKind.Child
                        && TryResolveMember(owner, memberName.Identifier.ValueText, out chain);
            }

            if (TryGetMapAccess(expression, out ExpressionSyntax? map, out string? key)
                && key is not null && key.Length > 0
                && TryResolve(map!, out Chain mapChain) && mapChain.Kind == StateMemberKind.Map && mapChain.NodeType is not null)
            {
                // The entry's segment is the encoded key, as StateMap stores it ("alice-smith" is "_xalice_2d_smith").
                chain = new Chain(Append(mapChain.Path, MapKeyGrammar.Encode(key)), StateMemberKind.Child, null, mapChain.NodeType);
                return true;
            }

            return false;
        }

        private bool TryResolveMember(Chain owner, string name, out Chain chain)
        {
            chain = default;
            if (owner.NodeType is null)
            {
                return false;
            }

            IPropertySymbol? property = null;
            foreach (ISymbol member in owner.NodeType.GetMembers(name))
            {
                property ??= member as IPropertySymbol;
            }

            if (property is null)
            {
                return false;
            }

            IPropertySymbol definition = property.OriginalDefinition;
            StateMemberKind kind = StateMemberClassifier.Classify(definition, _cancellationToken);
            if (kind is StateMemberKind.None or StateMemberKind.Unsupported || !StateNaming.TryGetSegment(definition, out string segment))
            {
                return false;
            }

            INamedTypeSymbol? nodeType = kind switch
            {
                StateMemberKind.Child => property.Type as INamedTypeSymbol,
                StateMemberKind.Map => StateMemberClassifier.TryGetMapNodeType(property.Type, out INamedTypeSymbol? element) ? element : null,
                _ => null,
            };

            string? access = owner.Access is null ? null : (owner.Access.Length == 0 ? property.Name : owner.Access + "." + property.Name);
            chain = new Chain(Append(owner.Path, segment), kind, access, nodeType);
            return true;
        }

        /// <summary>Whether the expression is <c>map[key]</c> or <c>map.Get(key)</c> for some receiver, with the key when it is a string literal.</summary>
        private static bool TryGetMapAccess(ExpressionSyntax expression, out ExpressionSyntax? map, out string? key)
        {
            map = null;
            key = null;
            ArgumentSyntax? argument;
            switch (expression)
            {
                case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } element:
                    map = element.Expression;
                    argument = element.ArgumentList.Arguments[0];
                    break;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Get" } access, ArgumentList.Arguments.Count: 1 } invocation:
                    map = access.Expression;
                    argument = invocation.ArgumentList.Arguments[0];
                    break;
                default:
                    return false;
            }

            key = argument.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                ? literal.Token.ValueText
                : null;
            return true;
        }

        private static string Append(string path, string segment) => path.Length == 0 ? segment : path + "." + segment;
    }

    /// <summary>A resolved chain of state accesses from the node: its path, what it ends at, its C# access when it is property
    /// accesses only, and for a node or map the node type reached.</summary>
    private readonly struct Chain
    {
        public Chain(string path, StateMemberKind kind, string? access, INamedTypeSymbol? nodeType)
        {
            Path = path;
            Kind = kind;
            Access = access;
            NodeType = nodeType;
        }

        public string Path { get; }

        public StateMemberKind Kind { get; }

        public string? Access { get; }

        public INamedTypeSymbol? NodeType { get; }
    }
}
