namespace ReactiveStore.Storage;

/// <summary>Thrown when a driver cannot open its storage for writing because another process (or another storage instance
/// in this process) has it open for writing; names the storage and the lock file.</summary>
public sealed class StorageLockedException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public StorageLockedException()
        : base("The storage is open for writing elsewhere.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public StorageLockedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StorageLockedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a storage and the lock file another writer holds.</summary>
    /// <param name="location">The storage: a folder or a database file.</param>
    /// <param name="lockFile">The lock file held open exclusively by the writer.</param>
    /// <param name="advice">What the caller can do instead (appended to the message), or <see langword="null"/>.</param>
    /// <param name="innerException">The error the operating system gave.</param>
    public StorageLockedException(string location, string lockFile, string? advice, Exception? innerException)
        : base($"'{location}' is already open for writing by another process or by another storage in this process (it holds '{lockFile}' locked). " +
            $"Only one writer at a time is allowed: close the other one first.{(advice is null ? string.Empty : " " + advice)}", innerException)
    {
        Location = location;
        LockFile = lockFile;
    }

    /// <summary>Gets the storage that is locked: a folder or a database file.</summary>
    public string? Location { get; }

    /// <summary>Gets the lock file the other writer holds.</summary>
    public string? LockFile { get; }
}
