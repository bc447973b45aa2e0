namespace ReactiveStore;

/// <summary>Thrown by a compare-and-set write (<see cref="SetOptions.ExpectedVersion"/>) whose expected version is not the stored one; nothing was written.</summary>
public sealed class VersionConflictException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public VersionConflictException()
        : base("The stored version is not the expected one; nothing was written.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public VersionConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public VersionConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a path.</summary>
    /// <param name="path">The path written.</param>
    /// <param name="expectedVersion">The version the writer expected (0: missing).</param>
    /// <param name="actualVersion">The stored version (0: missing).</param>
    public VersionConflictException(StatePath path, long expectedVersion, long actualVersion)
        : base($"Compare-and-set on '{path}' expected {Describe(expectedVersion)} but found {Describe(actualVersion)}; nothing was written.")
    {
        Path = path;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Gets the path written.</summary>
    public StatePath Path { get; }

    /// <summary>Gets the version the writer expected (0: the key missing).</summary>
    public long ExpectedVersion { get; }

    /// <summary>Gets the stored version (0: the key missing).</summary>
    public long ActualVersion { get; }

    private static string Describe(long version) => version == 0 ? "no entry" : $"version {version}";
}
