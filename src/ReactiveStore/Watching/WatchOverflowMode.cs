namespace ReactiveStore;

/// <summary>What a watcher does when its consumer falls behind and the buffer is full.</summary>
public enum WatchOverflowMode
{
    /// <summary>End the enumeration with a <see cref="WatchOverflowException"/> after the buffered events (the default).</summary>
    Throw = 0,

    /// <summary>Drop the oldest buffered event to make room, and count the drop.</summary>
    DropOldest = 1,
}
