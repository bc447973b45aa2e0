namespace ReactiveStore;

/// <summary>Thrown when a watch or a read asks for changes after a version the change log no longer holds (or that this
/// store never reached): the consumer must reload the current state and resume from the current version.</summary>
/// <remarks>Never a silent gap: the log either returns every change after the version asked for, or this.</remarks>
public sealed class ChangeLogCompactedException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ChangeLogCompactedException()
        : base("The change log no longer holds the changes asked for; reload and resume from the current version.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ChangeLogCompactedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChangeLogCompactedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a request after <paramref name="requestedVersion"/>.</summary>
    /// <param name="requestedVersion">The version the consumer asked to resume after.</param>
    /// <param name="oldestRetainedVersion">The oldest version the log still holds (0 when it holds none).</param>
    /// <param name="currentVersion">The store's current version.</param>
    public ChangeLogCompactedException(long requestedVersion, long oldestRetainedVersion, long currentVersion)
        : base(requestedVersion > currentVersion
            ? $"Cannot resume after version {requestedVersion}: this store is at version {currentVersion} (it was recreated, or the version belongs to another store). Reload the current state and resume from version {currentVersion}."
            : $"Cannot resume after version {requestedVersion}: the change log now starts at version {oldestRetainedVersion} (older changes were compacted). Reload the current state and resume from version {currentVersion}.")
    {
        RequestedVersion = requestedVersion;
        OldestRetainedVersion = oldestRetainedVersion;
        CurrentVersion = currentVersion;
    }

    /// <summary>Gets the version the consumer asked to resume after.</summary>
    public long RequestedVersion { get; }

    /// <summary>Gets the oldest version the log still holds (0 when it holds none).</summary>
    public long OldestRetainedVersion { get; }

    /// <summary>Gets the store's version when the request was made.</summary>
    public long CurrentVersion { get; }
}
