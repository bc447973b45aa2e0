namespace ReactiveStore;

/// <summary>Overrides the path segment of a state member (by default the camelCase member name).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class StatePathAttribute : Attribute
{
    /// <summary>Names the segment of the member.</summary>
    /// <param name="segment">One path segment, <c>[A-Za-z0-9_]+</c>, not starting with <c>__</c>.</param>
    public StatePathAttribute(string segment)
    {
        Segment = segment;
    }

    /// <summary>Gets the segment of the member.</summary>
    public string Segment { get; }
}
