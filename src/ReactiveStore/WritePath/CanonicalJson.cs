using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ReactiveStore;

/// <summary>Canonical JSON: the same data gives the same bytes whatever type or source produced it
/// (object properties sorted ordinally at every level, no insignificant whitespace).</summary>
/// <remarks>
/// Thread-safe: each thread reuses its own buffer and writer, so hashing a primitive value allocates nothing. Primitives
/// (numbers, booleans, strings, <see cref="Guid"/>) are written directly with <see cref="Utf8JsonWriter"/>, exactly as
/// <see cref="JsonSerializer"/> writes them, with no reflection; other types go through <see cref="JsonSerializer"/> with
/// the store's options (plug a source-generated context into <see cref="StateStoreOptions.JsonSerializerOptions"/> for
/// trimming and NativeAOT).
/// </remarks>
internal static class CanonicalJson
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static System.Text.Encodings.Web.JavaScriptEncoder? t_encoder;

    /// <summary>Writes <paramref name="value"/> as canonical JSON; the bytes are valid on this thread until its next call.</summary>
    /// <exception cref="JsonException">The value cannot be serialized (a cycle, a non-finite number, an unsupported type).</exception>
    /// <exception cref="NotSupportedException">The value's type is not supported by the serializer.</exception>
    public static ReadOnlySpan<byte> Write<T>(T value, JsonSerializerOptions options)
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        Utf8JsonWriter? writer = t_writer;
        if (writer is null || !ReferenceEquals(t_encoder, options.Encoder))
        {
            writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
            t_writer = writer;
            t_encoder = options.Encoder;
        }

        if (buffer.Capacity > 64 * 1024)
        {
            // Do not keep a huge buffer alive on the thread after one large value.
            buffer = t_buffer = new ArrayBufferWriter<byte>(256);
        }

        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        if (!TryWritePrimitive(writer, value))
        {
            byte[] json = value is JsonElement element
                ? JsonSerializer.SerializeToUtf8Bytes(element, options)
                : JsonSerializer.SerializeToUtf8Bytes(value, options);

            // Re-write through a document: sorts properties and re-escapes every string with one encoder, so JSON
            // produced by different converters (or loaded from storage) gives the same bytes.
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            WriteSorted(writer, document.RootElement);
        }

        writer.Flush();
        return buffer.WrittenSpan;
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
