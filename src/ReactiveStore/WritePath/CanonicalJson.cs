using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ReactiveStore;

/// <summary>Canonical JSON: the same data gives the same bytes whatever type or source produced it
/// (object properties sorted ordinally at every level, no insignificant whitespace).</summary>
/// <remarks>
/// One instance per store, used under the graph lock: it reuses one buffer and one writer, so hashing a primitive value
/// allocates nothing. Primitives (numbers, booleans, strings, <see cref="Guid"/>) are written directly with
/// <see cref="Utf8JsonWriter"/>, exactly as <see cref="JsonSerializer"/> writes them, with no reflection; other types go
/// through <see cref="JsonSerializer"/> with the store's options (plug a source-generated context into
/// <see cref="StateStoreOptions.JsonSerializerOptions"/> for trimming and NativeAOT).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "The writer writes to managed buffers only.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The writer writes to managed buffers only; nothing to release.")]
internal sealed class CanonicalJson(JsonSerializerOptions options)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer = new(new ArrayBufferWriter<byte>(), new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });

    /// <summary>Writes <paramref name="value"/> as canonical JSON; the bytes are valid until the next call.</summary>
    public ReadOnlySpan<byte> Write<T>(T value)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        if (!TryWritePrimitive(_writer, value))
        {
            byte[] json = value is JsonElement element
                ? JsonSerializer.SerializeToUtf8Bytes(element, options)
                : JsonSerializer.SerializeToUtf8Bytes(value, options);

            // Re-write through a document: sorts properties and re-escapes every string with one encoder, so JSON
            // produced by different converters (or loaded from storage) gives the same bytes.
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            WriteSorted(_writer, document.RootElement);
        }

        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    private static bool TryWritePrimitive<T>(Utf8JsonWriter writer, T value)
    {
        // typeof(T) checks on value types are constants to the JIT: only the matching branch survives. Dates are left to
        // the serializer: it escapes the '+' of an offset with the options' encoder, which the writer's date overloads do not.
        if (typeof(T) == typeof(int))
        {
            writer.WriteNumberValue(Unsafe.As<T, int>(ref value));
        }
        else if (typeof(T) == typeof(long))
        {
            writer.WriteNumberValue(Unsafe.As<T, long>(ref value));
        }
        else if (typeof(T) == typeof(bool))
        {
            writer.WriteBooleanValue(Unsafe.As<T, bool>(ref value));
        }
        else if (typeof(T) == typeof(double))
        {
            double number = Unsafe.As<T, double>(ref value);
            if (!double.IsFinite(number))
            {
                return false; // let the serializer apply the options' rule for non-finite numbers
            }

            writer.WriteNumberValue(number);
        }
        else if (typeof(T) == typeof(decimal))
        {
            writer.WriteNumberValue(Unsafe.As<T, decimal>(ref value));
        }
        else if (typeof(T) == typeof(Guid))
        {
            writer.WriteStringValue(Unsafe.As<T, Guid>(ref value));
        }
        else if (typeof(T) == typeof(string))
        {
            string? text = Unsafe.As<T, string?>(ref value);
            if (text is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(text);
            }
        }
        else
        {
            return false;
        }

        return true;
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonElement element)
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
                    WriteSorted(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
