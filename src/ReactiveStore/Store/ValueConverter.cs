using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ReactiveStore;

/// <summary>Turns stored values into the type a reader asks for, and values into JSON for subtrees.</summary>
/// <remarks>
/// A value stored as <c>T</c> and read as <c>T</c> (or a base type) is returned as it is. Any other request goes
/// through a JSON round trip, so a value loaded from storage as JSON binds to the type asked for; a value that
/// cannot become that type raises <see cref="StateTypeMismatchException"/>.
/// </remarks>
internal sealed class ValueConverter
{
    public ValueConverter(JsonSerializerOptions? options)
    {
        Options = options ?? CreateDefaultOptions();
        Options.MakeReadOnly(populateMissingResolver: true);

        // Writes serialize with the same settings plus converters that refuse what would not read back exactly.
        var write = new JsonSerializerOptions(Options);
        write.Converters.Add(new StrictStringConverter());
        write.Converters.Add(new StrictCharConverter());
        write.MakeReadOnly(populateMissingResolver: true);
        WriteOptions = write;
    }

    /// <summary>Gets the options values are read and converted with.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>Gets the options values are written (validated, persisted, hashed) with.</summary>
    public JsonSerializerOptions WriteOptions { get; }

    public static JsonSerializerOptions CreateDefaultOptions() => new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public T? Convert<T>(StatePath path, object? value)
    {
        if (value is T typed)
        {
            return typed;
        }

        if (value is null)
        {
            if (default(T) is null)
            {
                return default;
            }

            throw new StateTypeMismatchException(path, null, typeof(T));
        }

        try
        {
            if (typeof(T) == typeof(JsonNode) || typeof(T) == typeof(JsonObject) || typeof(T) == typeof(JsonValue) || typeof(T) == typeof(JsonArray))
            {
                JsonNode? node = ToNode(value);
                if (node is T asT)
                {
                    return asT;
                }

                throw new StateTypeMismatchException(path, value.GetType(), typeof(T));
            }

            JsonElement element = value switch
            {
                JsonElement e => e,
                JsonNode n => JsonSerializer.SerializeToElement(n, Options),
                _ => JsonSerializer.SerializeToElement(value, value.GetType(), Options),
            };
            return element.Deserialize<T>(Options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            if (ex is StateTypeMismatchException)
            {
                throw;
            }

            throw new StateTypeMismatchException(path, value.GetType(), typeof(T), ex);
        }
    }

    public JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Options),
    };
}
