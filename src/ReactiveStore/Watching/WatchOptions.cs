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

    /// <summary>Gets the version to resume after: the watch first yields every retained change after it (matching the
    /// selector, in order, none twice), then goes on live with no gap between the two. <see langword="null"/> (the
    /// default) starts live.</summary>
    /// <remarks>If the change log no longer holds the change right after this version (or the store never reached it),
    /// the enumeration throws <see cref="ChangeLogCompactedException"/>: reload the state and resume from its version.
    /// Changes read back from a durable log after a restart carry no previous value and a <see cref="StateEvent.Timestamp"/> of 0.</remarks>
    public long? FromVersion
    {
        get;
        init
        {
            if (value is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(FromVersion), value, "WatchOptions.FromVersion cannot be negative (0 resumes from the first change).");
            }

            field = value;
        }
    }
}
