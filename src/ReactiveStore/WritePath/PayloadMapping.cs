namespace ReactiveStore;

/// <summary>A mapping of a record's fields to the store paths that hold their values, for <see cref="IPayloadFormationService"/>.</summary>
/// <remarks>A dotted field name (<c>customer.name</c>) forms a nested object. A field cannot be both a value and the parent
/// of other fields.</remarks>
public sealed class PayloadMapping
{
    private readonly List<KeyValuePair<string, StatePath>> _fields = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Gets the fields in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, StatePath>> Fields => _fields;

    /// <summary>Maps a field to a path.</summary>
    /// <param name="field">The field name; dotted for nested objects. Segments use the path grammar.</param>
    /// <param name="path">The store path holding the field's value (a path with children gives a nested object).</param>
    /// <returns>This mapping, for chaining.</returns>
    /// <exception cref="InvalidPathException">The field name is not a valid dotted name.</exception>
    /// <exception cref="ArgumentException">The field is mapped already, or it overlaps another field (one is the other's parent).</exception>
    public PayloadMapping Add(string field, StatePath path)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (path.IsRoot)
        {
            throw new ArgumentException($"Field '{field}' cannot map to the root; name a path.", nameof(path));
        }

        StatePath name = StatePath.Parse(field);
        foreach (KeyValuePair<string, StatePath> existing in _fields)
        {
            StatePath other = StatePath.Parse(existing.Key);
            if (other == name)
            {
                throw new ArgumentException($"Field '{field}' is mapped already (to '{existing.Value}').", nameof(field));
            }

            if (other.IsAncestorOf(name) || name.IsAncestorOf(other))
            {
                throw new ArgumentException($"Field '{field}' overlaps field '{existing.Key}': a field cannot be both a value and the parent of other fields.", nameof(field));
            }
        }

        _names.Add(field);
        _fields.Add(new KeyValuePair<string, StatePath>(field, path));
        return this;
    }

    /// <summary>Maps a field to a dotted path.</summary>
    /// <param name="field">The field name.</param>
    /// <param name="path">The dotted store path.</param>
    /// <returns>This mapping, for chaining.</returns>
    public PayloadMapping Add(string field, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Add(field, StatePath.Parse(path));
    }

    /// <summary>Gets whether a field is mapped.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>Whether it is mapped.</returns>
    public bool Contains(string field) => _names.Contains(field);
}
