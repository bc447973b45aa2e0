using System.Text.Json;

namespace ReactiveStore;

/// <summary>One committed change as the change log, the journal and resumed watches see it: what happened, where, the
/// value and metadata it left, the store version it was committed at, when, where from, and why.</summary>
/// <remarks>Immutable. A record read from storage or a journal carries its value as JSON; a record from the in-memory log
/// holds the committed entry and writes its JSON only when asked.</remarks>
public sealed class ChangeRecord
{
    private readonly StateEntry? _entry;
    private readonly JsonSerializerOptions? _options;
    private ReadOnlyMemory<byte>? _valueJson;

    /// <summary>Creates a record from its parts (as a storage driver or a journal reads it).</summary>
    /// <param name="version">The store version the change was committed at (at least 1).</param>
    /// <param name="type">What happened.</param>
    /// <param name="path">The path that changed (for a delete: the deleted path, whose subtree went too, unless
    /// <paramref name="cause"/> is <see cref="ChangeCause.Expiry"/>).</param>
    /// <param name="valueJson">The value as UTF-8 JSON, for a <see cref="StateEventType.Set"/>; <see langword="null"/> otherwise.</param>
    /// <param name="metadata">The entry's metadata, for a <see cref="StateEventType.Set"/>; <see langword="null"/> otherwise.</param>
    /// <param name="timestamp">When the change was committed, by the store's clock.</param>
    /// <param name="origin">Where the write came from.</param>
    /// <param name="cause">Why the change was committed.</param>
    public ChangeRecord(long version, StateEventType type, StatePath path, ReadOnlyMemory<byte>? valueJson, EntryMetadata? metadata, DateTimeOffset timestamp, EventOrigin origin, ChangeCause cause)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        if (path.IsRoot)
        {
            throw new ArgumentException("A change is at a path with at least one segment.", nameof(path));
        }

        if (type == StateEventType.Set && (valueJson is null || metadata is null))
        {
            throw new ArgumentException($"A Set change at '{path}' needs its value and its metadata.", nameof(valueJson));
        }

        Version = version;
        Type = type;
        Path = path;
        _valueJson = valueJson;
        Metadata = metadata;
        Timestamp = timestamp;
        Origin = origin;
        Cause = cause;
    }

    /// <summary>Creates a record over a committed entry (the in-memory log); its JSON is written on first use.</summary>
    internal ChangeRecord(long version, StateEventType type, StatePath path, StateEntry? entry, DateTimeOffset timestamp, EventOrigin origin, ChangeCause cause, byte[]? valueJson, JsonSerializerOptions options)
    {
        Version = version;
        Type = type;
        Path = path;
        _entry = entry;
        _options = options;
        _valueJson = valueJson;
        Metadata = entry?.Metadata;
        Timestamp = timestamp;
        Origin = origin;
        Cause = cause;
    }

    /// <summary>Gets the store version the change was committed at.</summary>
    public long Version { get; }

    /// <summary>Gets what happened.</summary>
    public StateEventType Type { get; }

    /// <summary>Gets the path that changed.</summary>
    public StatePath Path { get; }

    /// <summary>Gets the entry's metadata after a <see cref="StateEventType.Set"/>; <see langword="null"/> for deletes and pings.</summary>
    public EntryMetadata? Metadata { get; }

    /// <summary>Gets when the change was committed, by the store's clock.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets where the write came from.</summary>
    public EventOrigin Origin { get; }

    /// <summary>Gets why the change was committed.</summary>
    public ChangeCause Cause { get; }

    /// <summary>Gets the committed entry when the record came from the in-memory log (no JSON round trip), else <see langword="null"/>.</summary>
    internal StateEntry? Entry => _entry;

    /// <summary>Gets the entry the change replaced or removed, when the in-memory log still knows it.</summary>
    internal StateEntry? Previous { get; init; }

    /// <summary>Gets the <see cref="System.Diagnostics.Stopwatch"/> reading when the change became visible (in-memory log only; 0 otherwise).</summary>
    internal long StopwatchTimestamp { get; init; }

    /// <summary>Gets the value as UTF-8 JSON after a <see cref="StateEventType.Set"/>; <see langword="null"/> for deletes and pings.</summary>
    /// <remarks>Computed from the committed value on first use for records of the in-memory log.</remarks>
    public ReadOnlyMemory<byte>? ValueJson
    {
        get
        {
            if (_valueJson is null && _entry is not null and not CorruptStateEntry)
            {
                _valueJson = _entry.ToCanonicalJson(_options!);
            }

            return _valueJson;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"v{Version} {Type} '{Path}' ({Cause})";
}
