namespace ReactiveStore;

/// <summary>Thrown when a stored value cannot become the type a reader asked for.</summary>
public sealed class StateTypeMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public StateTypeMismatchException()
        : base("The stored value cannot be read as the requested type.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public StateTypeMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The conversion error.</param>
    public StateTypeMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a path, naming the stored and the requested type.</summary>
    /// <param name="path">The path that was read.</param>
    /// <param name="storedType">The type of the stored value (<see langword="null"/> for a stored null).</param>
    /// <param name="requestedType">The type the reader asked for.</param>
    /// <param name="innerException">The conversion error, if any.</param>
    public StateTypeMismatchException(StatePath path, Type? storedType, Type requestedType, Exception? innerException = null)
        : base(FormatMessage(path, storedType, requestedType), innerException)
    {
        Path = path;
        StoredType = storedType;
        RequestedType = requestedType;
    }

    /// <summary>Gets the path that was read.</summary>
    public StatePath Path { get; }

    /// <summary>Gets the type of the stored value, or <see langword="null"/> when the stored value is null.</summary>
    public Type? StoredType { get; }

    /// <summary>Gets the type the reader asked for.</summary>
    public Type? RequestedType { get; }

    private static string FormatMessage(StatePath path, Type? storedType, Type requestedType)
    {
        ArgumentNullException.ThrowIfNull(requestedType);
        string stored = storedType is null ? "null" : TypeNames.Format(storedType);
        return $"The value at '{path}' is stored as {stored} and cannot be read as {TypeNames.Format(requestedType)}.";
    }
}
