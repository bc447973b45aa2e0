// Shared with the analyzers (linked as source): keep it netstandard2.0 and free of generator-only types.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ReactiveStore.CodeAnalysis;

/// <summary>Decides which classes the generator can turn into nodes and what each of their partial properties is.</summary>
internal static class StateMemberClassifier
{
    // Members every generated node declares; a node that declares one of them itself is not generated.
    private static readonly string[] s_generatedMemberNames =
    [
        "Store", "Path", "Keys", "Paths", "DefaultPath", "NodeKeys", "NodeSnapshot", "Snapshot", "Apply", "ApplyTo", "SubscribeAll", "PropertyChanged",
    ];

    /// <summary>Whether <paramref name="type"/> carries <c>[StateNode]</c>.</summary>
    public static bool HasStateNodeAttribute(ITypeSymbol type) =>
        type is INamedTypeSymbol named && StateNaming.FindAttribute(named, KnownNames.StateNodeAttribute) is not null;

    /// <summary>
    /// Whether the generator implements <paramref name="type"/> as a node: a <c>[StateNode]</c> non-abstract, non-record class
    /// deriving from <see cref="object"/>, partial with all its containing types, with a valid default path and none of the
    /// generated constructors written by hand. A compiled node from another assembly counts when it implements <c>IStateNode&lt;T&gt;</c>.
    /// </summary>
    public static bool IsSupportedNode(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (!HasStateNodeAttribute(type) || type.TypeKind != TypeKind.Class || type.IsRecord || type.IsStatic || type.IsAbstract
            || type.IsFileLocal || type.BaseType?.SpecialType != SpecialType.System_Object)
        {
            return false;
        }

        if (type.DeclaringSyntaxReferences.Length == 0)
        {
            return ImplementsStateNodeOfSelf(type);
        }

        if (!StateNaming.TryGetNodePath(type, out _))
        {
            return false;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (!IsPartialEverywhere(current, cancellationToken))
            {
                return false;
            }
        }

        // MemberNames comes from the declarations: no member symbol has to be built for this check. The analyzers see the
        // compilation with the generator's output in it: members the generator wrote do not count.
        foreach (string name in type.MemberNames)
        {
            if (IsGeneratedMemberName(name))
            {
                foreach (ISymbol member in type.GetMembers(name))
                {
                    if (!IsGeneratorOutput(member))
                    {
                        return false;
                    }
                }
            }
        }

        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (!constructor.IsImplicitlyDeclared && IsGeneratedConstructorSignature(constructor) && !IsGeneratorOutput(constructor))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Classifies a property of a supported node.</summary>
    public static StateMemberKind Classify(IPropertySymbol property, CancellationToken cancellationToken)
    {
        if (!IsUnimplementedDefinition(property))
        {
            return StateMemberKind.None;
        }

        if (!HasImplementableShape(property))
        {
            return StateMemberKind.Unsupported;
        }

        bool hasSetter = property.SetMethod is not null;
        if (StateNaming.FindAttribute(property, KnownNames.DerivedAttribute) is not null)
        {
            return !hasSetter && FindComputeMethod(property) is not null ? StateMemberKind.Derived : StateMemberKind.Unsupported;
        }

        if (TryGetMapNodeType(property.Type, out INamedTypeSymbol? mapNode))
        {
            return !hasSetter && IsSupportedNode(mapNode!, cancellationToken) ? StateMemberKind.Map : StateMemberKind.Unsupported;
        }

        if (HasStateNodeAttribute(property.Type))
        {
            return !hasSetter && IsSupportedNode((INamedTypeSymbol)property.Type, cancellationToken) ? StateMemberKind.Child : StateMemberKind.Unsupported;
        }

        return hasSetter ? StateMemberKind.Stored : StateMemberKind.Unsupported;
    }

    /// <summary>
    /// Whether <paramref name="property"/> is a <c>[Derived]</c> partial property that <see cref="Classify"/> calls unsupported only because
    /// of the <c>[Derived]</c> contract: it has a setter, or no fitting compute method (RST0006). The generator gives such a property a
    /// throwing implementation, so that the compiler gets past CS9248 and runs the analyzer that reports RST0006.
    /// </summary>
    public static bool IsDerivedWithoutCompute(IPropertySymbol property) =>
        IsUnimplementedDefinition(property)
        && HasImplementableShape(property)
        && StateNaming.FindAttribute(property, KnownNames.DerivedAttribute) is not null
        && (property.SetMethod is not null || FindComputeMethod(property) is null);

    /// <summary>Whether a member of this name would collide with a member every generated node has.</summary>
    public static bool IsGeneratedMemberName(string name) => Array.IndexOf(s_generatedMemberNames, name) >= 0;

    /// <summary>The name of the compute method of a <c>[Derived]</c> property: the attribute argument, or <c>Compute&lt;Name&gt;</c>.</summary>
    public static string GetComputeMethodName(IPropertySymbol property)
    {
        AttributeData? attribute = StateNaming.FindAttribute(property, KnownNames.DerivedAttribute);
        if (attribute is not null && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
        {
            return name;
        }

        return KnownNames.ComputePrefix + property.Name;
    }

    /// <summary>The compute method of a <c>[Derived]</c> property: an instance, parameterless, non-generic method of the node with the property's type.</summary>
    public static IMethodSymbol? FindComputeMethod(IPropertySymbol property)
    {
        string name = GetComputeMethodName(property);
        IMethodSymbol? match = null;
        foreach (ISymbol member in property.ContainingType.GetMembers(name))
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, Parameters.Length: 0, IsGenericMethod: false, ReturnsVoid: false, ReturnsByRef: false, ReturnsByRefReadonly: false } method
                && SymbolEqualityComparer.Default.Equals(method.ReturnType, property.Type))
            {
                if (match is not null)
                {
                    return null;
                }

                match = method;
            }
        }

        return match;
    }

    /// <summary>Whether the generator wrote <paramref name="symbol"/>: it carries <c>[GeneratedCode("ReactiveStore.Generators", …)]</c>.</summary>
    /// <remarks>The generator never sees its own output; the analyzers always do, and must classify as the generator did.</remarks>
    public static bool IsGeneratorOutput(ISymbol symbol)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (StateNaming.IsAttribute(attribute, KnownNames.GeneratedCodeAttribute)
                && attribute.ConstructorArguments.Length > 0
                && attribute.ConstructorArguments[0].Value is KnownNames.GeneratorToolName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>ReactiveStore.StateMap&lt;TNode&gt;</c>, and its node type.</summary>
    public static bool TryGetMapNodeType(ITypeSymbol type, out INamedTypeSymbol? nodeType)
    {
        nodeType = null;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.Name == KnownNames.StateMapName
            && named.ContainingNamespace is { Name: KnownNames.StateMapNamespace, ContainingNamespace.IsGlobalNamespace: true }
            && named.TypeArguments[0] is INamedTypeSymbol argument)
        {
            nodeType = argument;
            return true;
        }

        return false;
    }

    /// <summary>A partial property definition that nobody but the generator implements.</summary>
    private static bool IsUnimplementedDefinition(IPropertySymbol property) =>
        property.IsPartialDefinition
        && (property.PartialImplementationPart is not { } implementation || IsGeneratorOutput(implementation));

    /// <summary>The shape every state member needs: an instance, non-indexer, by-value property with a getter, a usable type and a valid segment.</summary>
    private static bool HasImplementableShape(IPropertySymbol property) =>
        !property.IsStatic && !property.IsIndexer && !property.ReturnsByRef && !property.ReturnsByRefReadonly
        && property.ExplicitInterfaceImplementations.Length == 0 && property.GetMethod is not null
        && !property.Type.IsRefLikeType && property.Type.TypeKind is not (TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Error)
        && IsVisibleToNestedTypes(property.Type)
        && StateNaming.TryGetSegment(property, out _);

    /// <summary>Whether the type can appear in the node's generated nested types (keys, snapshot): no private or protected type in it.</summary>
    private static bool IsVisibleToNestedTypes(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsVisibleToNestedTypes(array.ElementType);
            case ITypeParameterSymbol:
                return true;
            case INamedTypeSymbol named:
                for (INamedTypeSymbol? current = named; current is not null; current = current.ContainingType)
                {
                    if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                    {
                        return false;
                    }
                }

                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    if (!IsVisibleToNestedTypes(argument))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static bool IsGeneratedConstructorSignature(IMethodSymbol constructor)
    {
        var parameters = constructor.Parameters;
        if (parameters.Length == 0 || parameters.Length > 2 || !IsRuntimeType(parameters[0].Type, KnownNames.StateStoreName))
        {
            return false;
        }

        return parameters.Length == 1 || IsRuntimeType(parameters[1].Type, KnownNames.StatePathName);
    }

    private static bool IsRuntimeType(ITypeSymbol type, string name) =>
        type.Name == name && type.ContainingNamespace is { Name: KnownNames.StateMapNamespace, ContainingNamespace.IsGlobalNamespace: true };

    private static bool ImplementsStateNodeOfSelf(INamedTypeSymbol type)
    {
        foreach (INamedTypeSymbol candidate in type.AllInterfaces)
        {
            if (candidate.Name == KnownNames.StateNodeInterfaceName && candidate.TypeArguments.Length == 1
                && SymbolEqualityComparer.Default.Equals(candidate.TypeArguments[0], type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }
}
