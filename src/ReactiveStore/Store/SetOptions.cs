using System.Collections;

namespace ReactiveStore;

/// <summary>Options for one write.</summary>
public sealed record SetOptions
{
    /// <summary>Gets the comparer that decides whether the new value equals the stored one (equal writes are skipped).</summary>
    /// <remarks>An <see cref="IEqualityComparer{T}"/> of the written type is used typed; otherwise the non-generic comparer is used.</remarks>
    public IEqualityComparer? Comparer { get; init; }

    /// <summary>Gets an object handed to subscribers as <see cref="StateEvent.Payload"/>.</summary>
    public object? Payload { get; init; }
}
