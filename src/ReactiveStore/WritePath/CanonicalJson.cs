using System.Buffers;
using System.Text.Json;

namespace ReactiveStore;

/// <summary>Canonical JSON: the same data gives the same bytes whatever type or source produced it
/// (object properties sorted ordinally at every level, no insignificant whitespace).</summary>
internal static class CanonicalJson
{
    /// <summary>Serializes a value to canonical UTF-8 JSON.</summary>
    public static byte[] Serialize<T>(T value, JsonSerializerOptions options)
    {
        byte[] json = value is JsonElement element ? JsonSerializer.SerializeToUtf8Bytes(element, options) : JsonSerializer.SerializeToUtf8Bytes(value, options);
        return IsScalar(json) ? json : Canonicalize(json);
    }

    /// <summary>Rewrites JSON bytes with sorted properties and no whitespace.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        var buffer = new ArrayBufferWriter<byte>(json.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, document.RootElement);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsScalar(ReadOnlySpan<byte> json) => json.Length > 0 && json[0] != (byte)'{' && json[0] != (byte)'[';

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    properties.Add(property);
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (JsonProperty property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
