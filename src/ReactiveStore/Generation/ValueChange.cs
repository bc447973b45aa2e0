namespace ReactiveStore;

/// <summary>A typed change of one state member, as delivered by the generated <c>Subscribe&lt;Name&gt;</c> and <c>Watch&lt;Name&gt;Async</c>.</summary>
/// <typeparam name="T">The member type.</typeparam>
/// <param name="OldValue">The value before the change (<see langword="default"/> when there was none).</param>
/// <param name="NewValue">The value after the change (<see langword="default"/> after a delete).</param>
/// <param name="Event">The store event behind the change.</param>
public readonly record struct ValueChange<T>(T OldValue, T NewValue, StateEvent Event);
