using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ReactiveStore.Storage;

/// <summary>The one JSON document form of a <see cref="StoredEntry"/>, readable and editable by hand:
/// <c>{"value": …, "metadata": {"version": 3, "createdAt": "…", …}}</c>.</summary>
/// <remarks>Written and read with <see cref="Utf8JsonWriter"/>/<see cref="JsonDocument"/> only: no reflection.
/// Unknown metadata properties are ignored on read, so newer writers stay readable.</remarks>
public static class StoredEntryJson
{
    private static readonly JsonWriterOptions s_indented = new() { Indented = true };

    /// <summary>Serializes an entry to an indented UTF-8 JSON document.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The document bytes.</returns>
    public static byte[] Serialize(StoredEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>(entry.ValueJson.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, s_indented))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value");
            using (JsonDocument value = JsonDocument.Parse(entry.ValueJson))
            {
                value.RootElement.WriteTo(writer);
            }

            writer.WritePropertyName("metadata");
            WriteMetadata(writer, entry.Metadata);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an entry from its JSON document form.</summary>
    /// <param name="document">The document bytes.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="JsonException">The document is not valid JSON or lacks <c>value</c>/<c>metadata</c>; the message says which.</exception>
    public static StoredEntry Deserialize(ReadOnlySpan<byte> document)
    {
        var reader = new Utf8JsonReader(document);
        using JsonDocument parsed = JsonDocument.ParseValue(ref reader);
        JsonElement root = parsed.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A stored entry is a JSON object with 'value' and 'metadata'; found {root.ValueKind}.");
        }

        if (!root.TryGetProperty("value", out JsonElement value))
        {
            throw new JsonException("A stored entry needs a 'value' property.");
        }

        if (!root.TryGetProperty("metadata", out JsonElement metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A stored entry needs a 'metadata' object.");
        }

        return new StoredEntry(JsonSerializer.SerializeToUtf8Bytes(value, StoredEntryJsonContext.Default.JsonElement), ReadMetadata(metadata));
    }

    /// <summary>Writes metadata as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="metadata">The metadata.</param>
    public static void WriteMetadata(Utf8JsonWriter writer, EntryMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metadata);
        writer.WriteStartObject();
        writer.WriteNumber("version", metadata.Version);
        writer.WriteString("createdAt", metadata.CreatedAt);
        writer.WriteString("updatedAt", metadata.UpdatedAt);
        if (metadata.ExpiresAt is { } expiresAt)
        {
            writer.WriteString("expiresAt", expiresAt);
        }

        if (metadata.Tags.Count > 0)
        {
            writer.WriteStartArray("tags");
            foreach (string tag in metadata.Tags)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
        }

        WriteOptional(writer, "modifiedBy", metadata.ModifiedBy);
        WriteOptional(writer, "comment", metadata.Comment);
        WriteOptional(writer, "dataHash", metadata.DataHash);
        WriteOptional(writer, "schemaHash", metadata.SchemaHash);
        if (metadata.RevisionHistory.Count > 0)
        {
            writer.WriteStartArray("revisions");
            foreach (EntryRevision revision in metadata.RevisionHistory)
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", revision.Version);
                writer.WriteString("timestamp", revision.Timestamp);
                WriteOptional(writer, "modifiedBy", revision.ModifiedBy);
                WriteOptional(writer, "dataHash", revision.DataHash);
                WriteOptional(writer, "schemaHash", revision.SchemaHash);
                WriteOptional(writer, "comment", revision.Comment);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads metadata from a JSON object written by <see cref="WriteMetadata"/>.</summary>
    /// <param name="metadata">The JSON object.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="JsonException">A required property is missing or has the wrong type.</exception>
    public static EntryMetadata ReadMetadata(JsonElement metadata)
    {
        try
        {
            long version = Required(metadata, "version").GetInt64();
            DateTimeOffset createdAt = Required(metadata, "createdAt").GetDateTimeOffset();
            DateTimeOffset updatedAt = Required(metadata, "updatedAt").GetDateTimeOffset();
            if (version < 1)
            {
                throw new JsonException($"Metadata 'version' must be at least 1; found {version.ToString(CultureInfo.InvariantCulture)}.");
            }

            var tags = new List<string>();
            if (metadata.TryGetProperty("tags", out JsonElement tagArray))
            {
                foreach (JsonElement tag in tagArray.EnumerateArray())
                {
                    tags.Add(tag.GetString() ?? throw new JsonException("Metadata 'tags' must hold strings."));
                }
            }

            var revisions = new List<EntryRevision>();
            if (metadata.TryGetProperty("revisions", out JsonElement revisionArray))
            {
                foreach (JsonElement revision in revisionArray.EnumerateArray())
                {
                    revisions.Add(new EntryRevision(
                        Required(revision, "version").GetInt64(),
                        Optional(revision, "modifiedBy"),
                        Optional(revision, "dataHash"),
                        Optional(revision, "schemaHash"),
                        Required(revision, "timestamp").GetDateTimeOffset(),
                        Optional(revision, "comment")));
                }
            }

            return new EntryMetadata(version, createdAt, updatedAt)
            {
                ExpiresAt = metadata.TryGetProperty("expiresAt", out JsonElement expires) && expires.ValueKind != JsonValueKind.Null ? expires.GetDateTimeOffset() : null,
                Tags = tags,
                ModifiedBy = Optional(metadata, "modifiedBy"),
                Comment = Optional(metadata, "comment"),
                DataHash = Optional(metadata, "dataHash"),
                SchemaHash = Optional(metadata, "schemaHash"),
                RevisionHistory = revisions,
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new JsonException($"Metadata has a property of the wrong type: {ex.Message}", ex);
        }
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new JsonException($"Metadata needs a '{name}' property.");

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
