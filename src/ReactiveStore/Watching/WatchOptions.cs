namespace ReactiveStore;

/// <summary>Options for <see cref="StateStore.Watch(string, WatchOptions?, CancellationToken)"/>.</summary>
public sealed record WatchOptions
{
    /// <summary>Gets the default options: 1,024 buffered events, overflow throws.</summary>
    public static WatchOptions Default { get; } = new();

    /// <summary>Gets how many events a watcher buffers before it overflows (at least 1; default 1,024).</summary>
    public int Capacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Capacity));
            field = value;
        }
    } = 1024;

    /// <summary>Gets what happens when the buffer is full (default <see cref="WatchOverflowMode.Throw"/>).</summary>
    public WatchOverflowMode Overflow { get; init; } = WatchOverflowMode.Throw;

    /// <summary>Gets whether an exact selector also matches descendants of its path. Default <see langword="true"/>.</summary>
    public bool Bubble { get; init; } = true;
}
