namespace ReactiveStore;

/// <summary>Options for one subscription.</summary>
public sealed record SubscribeOptions
{
    /// <summary>Gets the default options: bubbling on, the store's default context.</summary>
    public static SubscribeOptions Default { get; } = new();

    /// <summary>Gets whether an exact selector also matches descendants of its path (bubbling). Default <see langword="true"/>.</summary>
    public bool Bubble { get; init; } = true;

    /// <summary>Gets the context the callbacks are posted to (for example a UI thread); <see langword="null"/> uses the store's default.</summary>
    public SynchronizationContext? Context { get; init; }
}
