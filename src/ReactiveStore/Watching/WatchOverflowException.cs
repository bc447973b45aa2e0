namespace ReactiveStore;

/// <summary>Thrown by a watch enumeration whose consumer fell behind and whose buffer filled up.</summary>
/// <remarks>No event was silently lost: the consumer should re-read the state it cares about and watch again.</remarks>
public sealed class WatchOverflowException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public WatchOverflowException()
        : base("The watcher fell behind and its buffer overflowed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public WatchOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public WatchOverflowException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a watcher of a selector.</summary>
    /// <param name="selector">The watched selector.</param>
    /// <param name="capacity">The buffer capacity that was exceeded.</param>
    /// <param name="lastDeliveredVersion">The version of the last event buffered before the overflow.</param>
    public WatchOverflowException(string selector, int capacity, long lastDeliveredVersion)
        : base($"The watcher of '{selector}' fell behind: its buffer of {capacity} events is full. "
            + $"Events after version {lastDeliveredVersion} were not buffered; re-read the state and watch again, "
            + "or opt in to WatchOverflowMode.DropOldest.")
    {
        Selector = selector;
        Capacity = capacity;
        LastDeliveredVersion = lastDeliveredVersion;
    }

    /// <summary>Gets the watched selector.</summary>
    public string? Selector { get; }

    /// <summary>Gets the buffer capacity that was exceeded.</summary>
    public int Capacity { get; }

    /// <summary>Gets the version of the last event that was buffered before the overflow.</summary>
    public long LastDeliveredVersion { get; }
}
