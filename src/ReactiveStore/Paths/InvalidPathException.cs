using System;

namespace ReactiveStore;

/// <summary>Thrown when a path, selector or segment does not follow the path grammar.</summary>
public sealed class InvalidPathException : ArgumentException
{
    /// <summary>Creates an exception with a default message.</summary>
    public InvalidPathException()
        : this("The path is not valid.", null, -1)
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    public InvalidPathException(string message)
        : this(message, null, -1)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    public InvalidPathException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Position = -1;
    }

    /// <summary>Creates an exception about <paramref name="input"/>, pointing at <paramref name="position"/>.</summary>
    public InvalidPathException(string message, string? input, int position)
        : base(message)
    {
        Input = input;
        Position = position;
    }

    /// <summary>The text that failed validation, when known.</summary>
    public string? Input { get; }

    /// <summary>Zero-based position of the offending character, or -1 when the error is not about one character.</summary>
    public int Position { get; }
}
