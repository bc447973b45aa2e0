using ReactiveStore.CodeAnalysis;
using ReactiveStore.Generators.Helpers;

namespace ReactiveStore.Generators.Models;

/// <summary>One state member of a node.</summary>
/// <param name="Kind">Stored, child, map or derived.</param>
/// <param name="Name">The property name as written in C# (escaped when it is a keyword).</param>
/// <param name="PlainName">The property name for composed names such as <c>Subscribe&lt;Name&gt;</c>.</param>
/// <param name="Segment">The path segment.</param>
/// <param name="Type">The fully qualified property type, with its nullable annotation.</param>
/// <param name="NeedsNullForgiving">Whether a read of the store (which returns <c>T?</c>) needs <c>!</c> for this type.</param>
/// <param name="Accessibility">The property's accessibility keywords, reused for its generated helpers.</param>
/// <param name="NestedAccessibility"><c>public</c> for a public property, else <c>internal</c>: the accessibility of its entries in the nested key and snapshot types.</param>
/// <param name="Modifiers">The modifiers of the declaration (accessibility, <c>partial</c>, ...), repeated on the implementation.</param>
/// <param name="GetterModifiers">The modifiers of the get accessor, or "".</param>
/// <param name="SetterKeyword"><c>set</c>, <c>init</c>, or "" when there is no setter.</param>
/// <param name="SetterModifiers">The modifiers of the set accessor, or "".</param>
/// <param name="NodeType">For a child or map, the fully qualified node type.</param>
/// <param name="ComputeMethod">For a derived member, the compute method name.</param>
/// <param name="Dependencies">For a derived member, the node-relative paths its compute method reads, sorted.</param>
/// <param name="DerivedAccesses">For a derived member, the C# accesses of the derived members it reads, sorted.</param>
/// <param name="EmitSubscribe">Whether <c>Subscribe&lt;Name&gt;</c> is free to generate (no user member has the name).</param>
/// <param name="EmitChanges">Whether <c>&lt;Name&gt;Changes</c> is free to generate.</param>
/// <param name="EmitWatch">Whether <c>Watch&lt;Name&gt;Async</c> is free to generate.</param>
/// <param name="Hook">How the <c>On&lt;Name&gt;Changed</c> hook is emitted.</param>
internal sealed record MemberModel(
    StateMemberKind Kind,
    string Name,
    string PlainName,
    string Segment,
    string Type,
    bool NeedsNullForgiving,
    string Accessibility,
    string NestedAccessibility,
    string Modifiers,
    string GetterModifiers,
    string SetterKeyword,
    string SetterModifiers,
    string NodeType,
    string ComputeMethod,
    EquatableArray<string> Dependencies,
    EquatableArray<string> DerivedAccesses,
    bool EmitSubscribe,
    bool EmitChanges,
    bool EmitWatch,
    HookKind Hook);

/// <summary>How the <c>partial void On&lt;Name&gt;Changed(T oldValue, T newValue)</c> hook of a stored member is emitted.</summary>
internal enum HookKind
{
    /// <summary>Declared by the generator and called by the setter.</summary>
    DeclareAndCall,

    /// <summary>The user declared a fitting method: only called.</summary>
    CallOnly,

    /// <summary>A member of that name does not fit: no hook.</summary>
    None,
}
