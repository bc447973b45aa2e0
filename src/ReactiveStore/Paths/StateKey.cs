using System;

namespace ReactiveStore;

/// <summary>A typed path: a <see cref="StatePath"/> whose value is a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The type of the value stored at the path.</typeparam>
/// <remarks>The key of a generated <c>[Derived]</c> member also knows how to register its derivation in a store, so that the
/// store's typed reads (<c>Get</c>, <c>TryGet</c>, <c>GetEntry</c>) find its value before any node has been used. Equality is
/// by path only.</remarks>
public readonly struct StateKey<T> : IEquatable<StateKey<T>>
{
    private readonly StatePath _path;
    private readonly IKeyDerivation? _derivation;

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

    /// <summary>Creates the key of a derived value whose derivation <paramref name="derivation"/> registers on demand.</summary>
    internal StateKey(StatePath path, IKeyDerivation derivation)
        : this(path)
    {
        _derivation = derivation;
    }

    /// <summary>The path of the value.</summary>
    public StatePath Path => _path;

    /// <summary>The type of the value: <typeparamref name="T"/>.</summary>
    public Type ValueType => typeof(T);

    /// <summary>Gets whether the key belongs to a derived member whose derivation the store registers when the key is read.</summary>
    public bool IsDerived => _derivation is not null;

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

    /// <summary>Registers the derivation behind this key in <paramref name="store"/> unless it is there already; nothing for a stored key.</summary>
    internal void EnsureDerived(StateStore store) => _derivation?.EnsureRegistered(store);
}
