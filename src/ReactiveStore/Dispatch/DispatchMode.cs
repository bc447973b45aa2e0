namespace ReactiveStore;

/// <summary>How a store delivers events to subscribers.</summary>
public enum DispatchMode
{
    /// <summary>One background worker delivers events sequentially, in commit order, with retries (the default).</summary>
    Background = 0,

    /// <summary>Callbacks run on the writing thread before the write returns.</summary>
    Inline = 1,
}
