using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>The one JSON form of a <see cref="ChangeRecord"/>: a single line, readable by hand and by <c>jq</c>, used by
/// the journal and by drivers that keep the change log in files.</summary>
/// <remarks>
/// <c>{"v":12,"type":"set","path":"cart.total","cause":"write","ts":"2026-12-02T10:00:00+00:00","origin":{"pid":4242,"tid":7},"value":19.5,"meta":{…}}</c>
/// — <c>value</c> and <c>meta</c> (the entry's metadata, as in <see cref="StoredEntryJson"/>) only for sets; <c>origin.node</c>
/// only for writes that arrived through sync. Unknown properties are ignored on read, so newer writers stay readable.
/// Written with <see cref="Utf8JsonWriter"/> and read with <see cref="JsonDocument"/>: no reflection.
/// </remarks>
public static class ChangeRecordJson
{
    private static readonly JsonWriterOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes a record to one line of UTF-8 JSON (no line break).</summary>
    /// <param name="record">The record.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentException">The record holds text UTF-8 cannot carry exactly (see <see cref="StoredEntryJson.WriteMetadata"/>).</exception>
    public static byte[] Serialize(ChangeRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a record as one line of UTF-8 JSON (no line break) into <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Where to write.</param>
    /// <param name="record">The record.</param>
    public static void Write(IBufferWriter<byte> buffer, ChangeRecord record)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(record);
        using var writer = new Utf8JsonWriter(buffer, s_compact);
        writer.WriteStartObject();
        writer.WriteNumber("v", record.Version);
        writer.WriteString("type", TypeName(record.Type));
        writer.WriteString("path", record.Path.ToString());
        writer.WriteString("cause", CauseName(record.Cause));
        writer.WriteString("ts", record.Timestamp);
        writer.WriteStartObject("origin");
        writer.WriteNumber("pid", record.Origin.ProcessId);
        writer.WriteNumber("tid", record.Origin.ThreadId);
        if (record.Origin.NodeId is { } node)
        {
            writer.WriteString("node", node);
        }

        writer.WriteEndObject();
        if (record.ValueJson is { } value)
        {
            writer.WritePropertyName("value");
            writer.WriteRawValue(value.Span, skipInputValidation: false);
        }

        if (record.Metadata is { } metadata)
        {
            writer.WritePropertyName("meta");
            StoredEntryJson.WriteMetadata(writer, metadata);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a record written by <see cref="Serialize"/>.</summary>
    /// <param name="line">One line of JSON (without the line break).</param>
    /// <returns>The record.</returns>
    /// <exception cref="JsonException">The line is not a complete record; the message says what is missing or wrong.</exception>
    public static ChangeRecord Deserialize(ReadOnlySpan<byte> line)
    {
        using JsonDocument document = JsonDocument.Parse(line.ToArray());
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A change record is a JSON object.");
        }

        try
        {
            long version = Required(root, "v").GetInt64();
            StateEventType type = ParseType(Required(root, "type").GetString());
            string pathText = Required(root, "path").GetString() ?? throw new JsonException("'path' must be a string.");
            if (!StatePath.TryParse(pathText, out StatePath path) || path.IsRoot)
            {
                throw new JsonException($"'path' is not a valid path: '{pathText}'.");
            }

            ChangeCause cause = ParseCause(Required(root, "cause").GetString());
            DateTimeOffset timestamp = Required(root, "ts").GetDateTimeOffset();
            JsonElement origin = Required(root, "origin");
            var eventOrigin = new EventOrigin(
                Required(origin, "pid").GetInt32(),
                Required(origin, "tid").GetInt32(),
                origin.TryGetProperty("node", out JsonElement node) ? node.GetString() : null);
            // The raw bytes as written (not re-escaped), and null (not empty) when there is no value.
            ReadOnlyMemory<byte>? value = root.TryGetProperty("value", out JsonElement valueElement)
                ? (ReadOnlyMemory<byte>?)System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(valueElement).ToArray()
                : null;
            EntryMetadata? metadata = root.TryGetProperty("meta", out JsonElement meta) ? StoredEntryJson.ReadMetadata(meta) : null;
            if (version < 1)
            {
                throw new JsonException($"'v' must be at least 1; found {version.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (type == StateEventType.Set && (value is null || metadata is null))
            {
                throw new JsonException("A 'set' record needs 'value' and 'meta'.");
            }

            return new ChangeRecord(version, type, path, value, metadata, timestamp, eventOrigin, cause);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new JsonException($"A change record property has the wrong type: {ex.Message}", ex);
        }
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? value : throw new JsonException($"The change record has no '{name}'.");

    private static string TypeName(StateEventType type) => type switch
    {
        StateEventType.Set => "set",
        StateEventType.Delete => "delete",
        StateEventType.Ping => "ping",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown event type."),
    };

    private static StateEventType ParseType(string? name) => name switch
    {
        "set" => StateEventType.Set,
        "delete" => StateEventType.Delete,
        "ping" => StateEventType.Ping,
        _ => throw new JsonException($"'type' must be set, delete or ping; found '{name}'."),
    };

    private static string CauseName(ChangeCause cause) => cause switch
    {
        ChangeCause.Write => "write",
        ChangeCause.Effect => "effect",
        ChangeCause.Derived => "derived",
        ChangeCause.Expiry => "expiry",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "Unknown cause."),
    };

    private static ChangeCause ParseCause(string? name) => name switch
    {
        "write" => ChangeCause.Write,
        "effect" => ChangeCause.Effect,
        "derived" => ChangeCause.Derived,
        "expiry" => ChangeCause.Expiry,
        _ => throw new JsonException($"'cause' must be write, effect, derived or expiry; found '{name}'."),
    };
}
