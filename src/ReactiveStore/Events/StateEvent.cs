using System.Diagnostics;

namespace ReactiveStore;

/// <summary>A change (or ping) delivered to subscribers.</summary>
/// <remarks>
/// One event object is shared by every subscriber that receives it at the same <see cref="CurrentPath"/>;
/// treat it as read-only apart from <see cref="StopPropagation"/>.
/// </remarks>
public sealed class StateEvent
{
    private static readonly int s_processId = Environment.ProcessId;

    private readonly StateEntry? _entry;
    private readonly StateEntry? _previousEntry;
    private readonly ValueConverter _converter;
    private readonly string? _currentPath;
    private readonly int _currentDepth;
    private readonly int _threadId;
    private Extras? _extras;
    private int _propagationStopped;

    internal StateEvent(in PendingEvent pending, long timestamp, ValueConverter converter, SubscriptionMatch[]? matches = null)
    {
        Matches = matches;
        Type = pending.Type;
        Path = pending.Path;
        _currentDepth = pending.Path.Depth;
        Version = pending.Version;
        _entry = pending.Entry;
        _previousEntry = pending.Previous;
        _threadId = pending.ThreadId;
        Timestamp = timestamp;
        _converter = converter;
        if (pending.PreviousSubtree is not null || pending.Payload is not null)
        {
            _extras = new Extras { Payload = pending.Payload, PreviousSubtree = pending.PreviousSubtree };
        }
    }

    private StateEvent(ChangeRecord record, ValueConverter converter, StateEntry? entry, int processId)
    {
        Type = record.Type;
        Path = record.Path;
        _currentDepth = record.Path.Depth;
        Version = record.Version;
        _entry = entry;
        _previousEntry = record.Previous;
        _threadId = record.Origin.ThreadId;
        Timestamp = record.StopwatchTimestamp;
        _converter = converter;
        if (processId != s_processId || record.Origin.NodeId is not null)
        {
            _extras = new Extras { ProcessId = processId, NodeId = record.Origin.NodeId };
        }
    }

    private StateEvent(StateEvent source, StatePath currentPath)
    {
        Type = source.Type;
        Path = source.Path;
        _currentPath = currentPath.Value;
        _currentDepth = currentPath.Depth;
        Version = source.Version;
        _entry = source._entry;
        _previousEntry = source._previousEntry;
        _threadId = source._threadId;
        _extras = source._extras;
        Timestamp = source.Timestamp;
        _converter = source._converter;
    }

    /// <summary>Gets the subscriptions the event reaches in delivery order, as computed when it was published (a dispatcher
    /// still skips subscriptions disposed since, or registered after it).</summary>
    internal SubscriptionMatch[]? Matches { get; }

    /// <summary>Gets what happened.</summary>
    public StateEventType Type { get; }

    /// <summary>Gets the path that changed.</summary>
    public StatePath Path { get; }

    /// <summary>Gets the subscribed path this event reached: <see cref="Path"/> itself or, by bubbling, one of its ancestors.</summary>
    public StatePath CurrentPath => _currentPath is null ? Path : StatePath.FromValidated(_currentPath, _currentDepth);

    /// <summary>Gets the store-wide version of the write: strictly increasing with each committed write or ping.</summary>
    public long Version { get; }

    /// <summary>Gets when the write was committed, as a <see cref="Stopwatch.GetTimestamp"/> reading.</summary>
    public long Timestamp { get; }

    /// <summary>Gets where the write came from.</summary>
    public EventOrigin Origin => new(_extras?.ProcessId ?? s_processId, _threadId, _extras?.NodeId);

    /// <summary>Gets what the writer passed in <see cref="SetOptions.Payload"/> or to <see cref="StateStore.Ping(string, object?)"/>.</summary>
    public object? Payload => _extras?.Payload;

    /// <summary>Gets the new value (<see langword="null"/> for deletes and pings).</summary>
    public object? Value => _entry?.UntypedValue;

    /// <summary>Gets the value before the write: for a delete, what was removed (a subtree as a JSON object).</summary>
    public object? PreviousValue => _extras?.PreviousSubtree is not null ? PreviousSubtreeJson() : _previousEntry?.UntypedValue;

    /// <summary>Gets the metadata of the new entry (<see langword="null"/> for deletes and pings).</summary>
    public EntryMetadata? Metadata => _entry?.Metadata;

    /// <summary>Gets the metadata of the entry before the write, if there was one.</summary>
    public EntryMetadata? PreviousMetadata => _previousEntry?.Metadata;

    /// <summary>Gets whether a subscriber called <see cref="StopPropagation"/> on this event.</summary>
    public bool IsPropagationStopped => Volatile.Read(ref _propagationStopped) != 0;

    /// <summary>Gets the new value as <typeparamref name="T"/>, or <see langword="default"/> when there is none.</summary>
    /// <typeparam name="T">The type to read the value as.</typeparam>
    /// <returns>The value.</returns>
    /// <exception cref="StateTypeMismatchException">The value cannot become <typeparamref name="T"/>.</exception>
    public T? GetValue<T>() => Read<T>(_entry, null);

    /// <summary>Gets the previous value as <typeparamref name="T"/>, or <see langword="default"/> when there was none.</summary>
    /// <typeparam name="T">The type to read the value as.</typeparam>
    /// <returns>The previous value.</returns>
    /// <exception cref="StateTypeMismatchException">The value cannot become <typeparamref name="T"/>.</exception>
    public T? GetPreviousValue<T>() => Read<T>(_previousEntry, _extras?.PreviousSubtree is not null ? PreviousSubtreeJson() : null);

    /// <summary>Stops delivery of this event to subscribers of ancestor paths; subscribers at the same path still receive it.</summary>
    public void StopPropagation() => Volatile.Write(ref _propagationStopped, 1);

    /// <inheritdoc/>
    public override string ToString() => $"{Type} '{Path}' v{Version}" + (_currentDepth != Path.Depth ? $" at '{CurrentPath}'" : string.Empty);

    /// <summary>Rebuilds the event of a change read back from the change log (a resumed watch's history).</summary>
    internal static StateEvent FromRecord(ChangeRecord record, ValueConverter converter)
    {
        StateEntry? entry = record.Entry;
        if (entry is null && record.Type == StateEventType.Set && record.ValueJson is { } json && record.Metadata is { } metadata)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            entry = new StateEntry<System.Text.Json.JsonElement>(document.RootElement.Clone(), metadata);
        }

        return new StateEvent(record, converter, entry, record.Origin.ProcessId);
    }

    internal StateEvent AtDepth(int depth) => depth == Path.Depth ? this : new StateEvent(this, Path.GetAncestor(depth));

    private object PreviousSubtreeJson()
    {
        Extras extras = _extras!;
        object? json = Volatile.Read(ref extras.PreviousSubtreeJson);
        if (json is null)
        {
            json = extras.PreviousSubtree!.ToJson(_converter);
            json = Interlocked.CompareExchange(ref extras.PreviousSubtreeJson, json, null) ?? json;
        }

        return json;
    }

    private T? Read<T>(StateEntry? entry, object? overrideValue)
    {
        if (overrideValue is not null)
        {
            return _converter.Convert<T>(Path, overrideValue);
        }

        if (entry is null)
        {
            return default;
        }

        return entry is StateEntry<T> typed ? typed.Value : _converter.Convert<T>(Path, entry.UntypedValue);
    }

    /// <summary>What few events carry (a payload, a removed subtree), kept out of line so most events are small.</summary>
    private sealed class Extras
    {
        public object? Payload;
        public SubtreeSnapshot? PreviousSubtree;
        public object? PreviousSubtreeJson;
        public int? ProcessId;
        public string? NodeId;
    }
}
