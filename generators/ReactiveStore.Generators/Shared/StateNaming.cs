// Shared with the analyzers (linked as source): keep it netstandard2.0 and free of generator-only types.
using System.Text;
using Microsoft.CodeAnalysis;

namespace ReactiveStore.CodeAnalysis;

/// <summary>Path segments and node paths of state members and nodes (SPEC §7 naming rules).</summary>
internal static class StateNaming
{
    /// <summary>camelCase as System.Text.Json's <c>JsonNamingPolicy.CamelCase</c> does it: <c>TaxRate</c> → <c>taxRate</c>, <c>URLValue</c> → <c>urlValue</c>.</summary>
    public static string ToCamelCase(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsUpper(name[0]))
        {
            return name;
        }

        var chars = new StringBuilder(name);
        for (int i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            bool hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return chars.ToString();
    }

    /// <summary>The segment text of a member: the <c>[StatePath]</c> argument, or the camelCase member name. Not validated.</summary>
    public static string GetSegmentText(IPropertySymbol property)
    {
        foreach (AttributeData attribute in property.GetAttributes())
        {
            if (IsAttribute(attribute, KnownNames.StatePathAttribute)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string segment)
            {
                return segment;
            }
        }

        return ToCamelCase(property.Name);
    }

    /// <summary>The member's segment, when it is a valid, unreserved path segment.</summary>
    public static bool TryGetSegment(IPropertySymbol property, out string segment)
    {
        segment = GetSegmentText(property);
        return IsUsableSegment(segment);
    }

    /// <summary>The default path text of a node: the <c>[StateNode]</c> argument, or the camelCase class name. Not validated.</summary>
    public static string? GetNodePathText(INamedTypeSymbol type)
    {
        AttributeData? attribute = FindAttribute(type, KnownNames.StateNodeAttribute);
        if (attribute is null)
        {
            return null;
        }

        if (attribute.ConstructorArguments.Length == 1)
        {
            return attribute.ConstructorArguments[0].Value as string;
        }

        return ToCamelCase(type.Name);
    }

    /// <summary>The node's default path, when it is a valid path with no reserved segment.</summary>
    public static bool TryGetNodePath(INamedTypeSymbol type, out string path)
    {
        path = GetNodePathText(type) ?? string.Empty;
        return PathGrammar.TryValidate(path, allowWildcards: false, out _, out _) && !PathGrammar.HasReservedSegment(path);
    }

    /// <summary>Whether <paramref name="segment"/> is a valid segment that does not start with the reserved <c>__</c>.</summary>
    public static bool IsUsableSegment(string segment) =>
        PathGrammar.TryValidateSegment(segment, out _) && !segment.StartsWith(PathGrammar.ReservedPrefix, StringComparison.Ordinal);

    public static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (IsAttribute(attribute, metadataName))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool IsAttribute(AttributeData attribute, string metadataName)
    {
        INamedTypeSymbol? type = attribute.AttributeClass;
        if (type is null)
        {
            return false;
        }

        int dot = metadataName.LastIndexOf('.');
        return type.MetadataName == metadataName.Substring(dot + 1)
            && type.ContainingNamespace?.ToDisplayString() == metadataName.Substring(0, dot);
    }
}
