namespace ReactiveStore.Storage;

/// <summary>Thrown when a storage driver finds an entry it cannot read (a corrupt file or row); names what was wrong and where.</summary>
public sealed class StorageCorruptionException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public StorageCorruptionException()
        : base("A stored entry cannot be read.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public StorageCorruptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StorageCorruptionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one key (or an entry whose key cannot be recovered) and where it is stored.</summary>
    /// <param name="key">The key that cannot be read, or <see langword="null"/> when the key itself cannot be recovered.</param>
    /// <param name="location">Where it is stored (a file path, a table and row).</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="innerException">The cause.</param>
    public StorageCorruptionException(string? key, string location, string reason, Exception? innerException = null)
        : base(key is null
            ? $"The stored entry at {location} cannot be read, and its key cannot be recovered: {reason}"
            : $"The stored entry '{key}' at {location} cannot be read: {reason}", innerException)
    {
        Key = key;
        Location = location;
    }

    /// <summary>Gets the key that cannot be read, or <see langword="null"/> when it cannot be recovered.</summary>
    public string? Key { get; }

    /// <summary>Gets where the entry is stored.</summary>
    public string? Location { get; }
}
