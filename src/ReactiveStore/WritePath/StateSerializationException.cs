namespace ReactiveStore;

/// <summary>Thrown when a value cannot be stored because it cannot be written as JSON exactly as it is (a cycle, a
/// non-finite number, a lone UTF-16 surrogate, a type the serializer does not support). Nothing is written.</summary>
/// <remarks>Every value a store accepts must persist and read back identically, so the store rejects such a value before
/// the write commits, whether or not the store persists anything.</remarks>
public sealed class StateSerializationException : ArgumentException
{
    /// <summary>Creates the exception with a default message.</summary>
    public StateSerializationException()
        : base("The value cannot be written as JSON.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public StateSerializationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the serializer error.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The serializer error.</param>
    public StateSerializationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a value written at a path.</summary>
    /// <param name="path">The path written.</param>
    /// <param name="valueType">The type of the value.</param>
    /// <param name="reason">Why the value cannot be written.</param>
    /// <param name="innerException">The serializer error, if any.</param>
    public StateSerializationException(StatePath path, Type valueType, string reason, Exception? innerException = null)
        : base($"Cannot store a {TypeNames.Format(valueType ?? typeof(object))} at '{path}': {reason}", "value", innerException)
    {
        Path = path;
        ValueType = valueType;
    }

    /// <summary>Gets the path that was written.</summary>
    public StatePath Path { get; }

    /// <summary>Gets the type of the value that was rejected.</summary>
    public Type? ValueType { get; }
}
