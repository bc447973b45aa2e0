using Microsoft.CodeAnalysis;
using ReactiveStore.CodeAnalysis;

namespace ReactiveStore.Analyzers;

/// <summary>The runtime types the analyzers recognise, resolved once per compilation (in <c>CompilationStart</c>).</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        StateNodeAttribute = compilation.GetTypeByMetadataName(KnownNames.StateNodeAttribute);
        StatePathAttribute = compilation.GetTypeByMetadataName(KnownNames.StatePathAttribute);
        DerivedAttribute = compilation.GetTypeByMetadataName(KnownNames.DerivedAttribute);
        StateStore = compilation.GetTypeByMetadataName("ReactiveStore.StateStore");
        StatePath = compilation.GetTypeByMetadataName("ReactiveStore.StatePath");
        PathSelector = compilation.GetTypeByMetadataName("ReactiveStore.PathSelector");
        StateKey = compilation.GetTypeByMetadataName("ReactiveStore.StateKey`1");
        StateMap = compilation.GetTypeByMetadataName("ReactiveStore.StateMap`1");
        StateWriter = compilation.GetTypeByMetadataName("ReactiveStore.IStateWriter");
        TrackingContext = compilation.GetTypeByMetadataName("ReactiveStore.TrackingContext");
        DeriveData = compilation.GetTypeByMetadataName("ReactiveStore.DeriveData");
        Subscription = compilation.GetTypeByMetadataName("ReactiveStore.Subscription");
        StateNodeSupport = compilation.GetTypeByMetadataName("ReactiveStore.StateNodeSupport");
        Observable = compilation.GetTypeByMetadataName("System.IObservable`1");
        Disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        JsonConstructorAttribute = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonConstructorAttribute");
        MemberInfo = compilation.GetTypeByMetadataName("System.Reflection.MemberInfo");
        SerializationInfo = compilation.GetTypeByMetadataName("System.Runtime.Serialization.SerializationInfo");
    }

    public INamedTypeSymbol? StateNodeAttribute { get; }

    public INamedTypeSymbol? StatePathAttribute { get; }

    public INamedTypeSymbol? DerivedAttribute { get; }

    public INamedTypeSymbol? StateStore { get; }

    public INamedTypeSymbol? StatePath { get; }

    public INamedTypeSymbol? PathSelector { get; }

    public INamedTypeSymbol? StateKey { get; }

    public INamedTypeSymbol? StateMap { get; }

    public INamedTypeSymbol? StateWriter { get; }

    public INamedTypeSymbol? TrackingContext { get; }

    public INamedTypeSymbol? DeriveData { get; }

    public INamedTypeSymbol? Subscription { get; }

    public INamedTypeSymbol? StateNodeSupport { get; }

    public INamedTypeSymbol? Observable { get; }

    public INamedTypeSymbol Disposable { get; }

    public INamedTypeSymbol? JsonConstructorAttribute { get; }

    public INamedTypeSymbol? MemberInfo { get; }

    public INamedTypeSymbol? SerializationInfo { get; }

    public static KnownSymbols Create(Compilation compilation) => new(compilation);

    /// <summary>Whether <paramref name="type"/> carries <c>[StateNode]</c> (the runtime's attribute).</summary>
    public bool IsStateNode(INamedTypeSymbol? type)
    {
        if (type is null || StateNodeAttribute is null)
        {
            return false;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, StateNodeAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="symbol"/> carries the attribute <paramref name="attributeType"/>.</summary>
    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="definition"/> or a construction of it.</summary>
    public static bool IsType(ITypeSymbol? type, INamedTypeSymbol? definition) =>
        type is not null && definition is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, definition);

    /// <summary>Whether <paramref name="type"/> is <paramref name="baseType"/> or derives from it.</summary>
    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        for (ITypeSymbol? current = type; current is not null && baseType is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
