using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ReactiveStore.Storage;

/// <summary>The one JSON document form of a <see cref="StoredEntry"/>, readable and editable by hand:
/// <c>{"value": …, "metadata": {"version": 3, "createdAt": "…", …}}</c>.</summary>
/// <remarks>Written and read with <see cref="Utf8JsonWriter"/>/<see cref="JsonDocument"/> only: no reflection.
/// Unknown metadata properties are ignored on read, so newer writers stay readable.</remarks>
public static class StoredEntryJson
{
    // Relaxed escaping keeps non-ASCII text and quotes readable in files edited by hand (the document is never embedded in HTML).
    private static readonly JsonWriterOptions s_indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes an entry to an indented UTF-8 JSON document.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The document bytes.</returns>
    /// <exception cref="ArgumentException">The entry is corrupted, its value is not one complete JSON value, or a string in it
    /// cannot be written as UTF-8 exactly (a lone UTF-16 surrogate); the message says which.</exception>
    public static byte[] Serialize(StoredEntry entry) => Serialize(entry, key: null);

    /// <summary>Serializes an entry, with its key first when <paramref name="key"/> is not <see langword="null"/> (files named by hash carry their key).</summary>
    internal static byte[] Serialize(StoredEntry entry, string? key)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Corruption is { } corruption)
        {
            throw new ArgumentException($"A corrupted entry cannot be serialized: {corruption.Message}", nameof(entry));
        }

        var buffer = new ArrayBufferWriter<byte>(entry.ValueJson.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, s_indented))
        {
            writer.WriteStartObject();
            if (key is not null)
            {
                writer.WriteString("key", key);
            }

            writer.WritePropertyName("value");
            try
            {
                using JsonDocument value = JsonDocument.Parse(entry.ValueJson);
                value.RootElement.WriteTo(writer);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The entry's value is not one complete JSON value: {ex.Message}", nameof(entry), ex);
            }
            catch (InvalidOperationException ex)
            {
                // System.Text.Json cannot re-write a string escape that is not valid UTF-16 (a lone surrogate such as "\uD800").
                throw new ArgumentException($"The entry's value holds a string that cannot be stored as UTF-8 exactly: {ex.Message}", nameof(entry), ex);
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
    public static StoredEntry Deserialize(ReadOnlySpan<byte> document) => Deserialize(document, out _);

    /// <summary>Reads an entry and the <c>"key"</c> property, if the document has one (<see langword="null"/> otherwise).</summary>
    internal static StoredEntry Deserialize(ReadOnlySpan<byte> document, out string? key)
    {
        var reader = new Utf8JsonReader(document);
        using JsonDocument parsed = JsonDocument.ParseValue(ref reader);
        JsonElement root = parsed.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A stored entry is a JSON object with 'value' and 'metadata'; found {root.ValueKind}.");
        }

        key = null;
        if (root.TryGetProperty("key", out JsonElement keyElement))
        {
            key = keyElement.ValueKind == JsonValueKind.String ? ReadString(keyElement, "key") : throw new JsonException("The 'key' property must be a string.");
        }

        if (!root.TryGetProperty("value", out JsonElement value))
        {
            throw new JsonException("A stored entry needs a 'value' property.");
        }

        if (!root.TryGetProperty("metadata", out JsonElement metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A stored entry needs a 'metadata' object.");
        }

        var valueJson = new ArrayBufferWriter<byte>(document.Length);
        try
        {
            using var writer = new Utf8JsonWriter(valueJson, s_compact);
            value.WriteTo(writer);
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException($"The value holds a string that is not valid UTF-16 (a lone surrogate escape): {ex.Message}", ex);
        }

        return new StoredEntry(valueJson.WrittenMemory.ToArray(), ReadMetadata(metadata));
    }

    /// <summary>Writes metadata as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="metadata">The metadata.</param>
    /// <exception cref="ArgumentException">A tag is null, or a string holds a lone UTF-16 surrogate (which UTF-8 cannot hold: it would come back as U+FFFD).</exception>
    public static void WriteMetadata(Utf8JsonWriter writer, EntryMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(metadata);
        if (FindUnstorable(metadata) is { } problem)
        {
            throw new ArgumentException(problem, nameof(metadata));
        }

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

    /// <summary>Finds the first string of <paramref name="metadata"/> that cannot be written as UTF-8 and read back exactly.</summary>
    /// <remarks>System.Text.Json replaces a lone UTF-16 surrogate with U+FFFD when it writes UTF-8, and writes a null tag as
    /// JSON null, which no reader accepts: refuse both instead of altering the entry or storing one that cannot be read.</remarks>
    /// <returns>What is wrong, or <see langword="null"/>.</returns>
    private static string? FindUnstorable(EntryMetadata metadata)
    {
        for (int i = 0; i < metadata.Tags.Count; i++)
        {
            if (metadata.Tags[i] is not { } tag)
            {
                return string.Create(CultureInfo.InvariantCulture, $"Metadata 'tags'[{i}] is null; tags must be strings.");
            }

            if (FindLoneSurrogate(tag, "tags", i) is { } problem)
            {
                return problem;
            }
        }

        string? found = FindLoneSurrogate(metadata.ModifiedBy, "modifiedBy")
            ?? FindLoneSurrogate(metadata.Comment, "comment")
            ?? FindLoneSurrogate(metadata.DataHash, "dataHash")
            ?? FindLoneSurrogate(metadata.SchemaHash, "schemaHash");
        for (int i = 0; found is null && i < metadata.RevisionHistory.Count; i++)
        {
            EntryRevision revision = metadata.RevisionHistory[i];
            found = FindLoneSurrogate(revision.ModifiedBy, "revisions.modifiedBy", i)
                ?? FindLoneSurrogate(revision.Comment, "revisions.comment", i)
                ?? FindLoneSurrogate(revision.DataHash, "revisions.dataHash", i)
                ?? FindLoneSurrogate(revision.SchemaHash, "revisions.schemaHash", i);
        }

        return found;
    }

    private static string? FindLoneSurrogate(string? text, string field, int index = -1)
    {
        if (text is null)
        {
            return null;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                string where = index < 0 ? $"'{field}'" : string.Create(CultureInfo.InvariantCulture, $"'{field}'[{index}]");
                return string.Create(CultureInfo.InvariantCulture, $"Metadata {where} holds a lone UTF-16 surrogate (U+{(int)c:X4}) at index {i}; it cannot be stored as UTF-8 without being replaced by U+FFFD.");
            }
        }

        return null;
    }

    private static string ReadString(JsonElement element, string name)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new JsonException($"'{name}' holds a string that is not valid UTF-16 (a lone surrogate escape): {ex.Message}", ex);
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
