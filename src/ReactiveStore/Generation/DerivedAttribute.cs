namespace ReactiveStore;

/// <summary>Marks a get-only partial property of a state node as derived: computed by <c>Compute&lt;Name&gt;()</c> (or the named method) and cached.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class DerivedAttribute : Attribute
{
    /// <summary>Marks a derived member computed by the method <c>Compute&lt;Name&gt;()</c>.</summary>
    public DerivedAttribute()
    {
    }

    /// <summary>Marks a derived member computed by the parameterless method <paramref name="computeMethod"/>.</summary>
    /// <param name="computeMethod">The name of the compute method, usually written <c>nameof(M)</c>.</param>
    public DerivedAttribute(string computeMethod)
    {
        ComputeMethod = computeMethod;
    }

    /// <summary>Gets the name of the compute method, or <see langword="null"/> for <c>Compute&lt;Name&gt;</c>.</summary>
    public string? ComputeMethod { get; }
}
