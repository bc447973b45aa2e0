using System;

namespace ReactiveStore;

/// <summary>A typed path: a <see cref="StatePath"/> whose value is a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The type of the value stored at the path.</typeparam>
public readonly struct StateKey<T> : IEquatable<StateKey<T>>
{
    private readonly StatePath _path;

    /// <summary>Creates a key for <paramref name="path"/>, which must not be <see cref="StatePath.Root"/>.</summary>
    public StateKey(StatePath path)
    {
        if (path.IsRoot)
        {
            throw new ArgumentException("A state key cannot be the root path.", nameof(path));
        }

        _path = path;
    }

    /// <summary>Creates a key by parsing <paramref name="path"/>; throws <see cref="InvalidPathException"/> when it is not valid.</summary>
    public StateKey(string path)
        : this(StatePath.Parse(path))
    {
    }

    /// <summary>The path of the value.</summary>
    public StatePath Path => _path;

    /// <summary>The type of the value: <typeparamref name="T"/>.</summary>
    public Type ValueType => typeof(T);

    /// <summary>The path of a key.</summary>
    public static implicit operator StatePath(StateKey<T> key) => key._path;

    /// <summary>Equality of the paths.</summary>
    public static bool operator ==(StateKey<T> left, StateKey<T> right) => left._path.Equals(right._path);

    /// <summary>Inequality of the paths.</summary>
    public static bool operator !=(StateKey<T> left, StateKey<T> right) => !left._path.Equals(right._path);

    /// <summary>The path of this key (the named alternative to the implicit conversion).</summary>
    public StatePath ToStatePath() => _path;

    /// <summary>Whether both keys have the same path (the value type is the same by construction).</summary>
    public bool Equals(StateKey<T> other) => _path.Equals(other._path);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StateKey<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _path.GetHashCode();

    /// <summary>The dotted path.</summary>
    public override string ToString() => _path.ToString();
}
