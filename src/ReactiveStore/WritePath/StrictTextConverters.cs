using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReactiveStore;

/// <summary>Writes strings like the default converter but refuses lone surrogates, which the default silently turns into
/// U+FFFD; used only by the write path's serializer options, so nothing lossy is ever accepted.</summary>
internal sealed class StrictStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        int index = TextRules.IndexOfLoneSurrogate(value);
        if (index >= 0)
        {
            throw new JsonException(TextRules.DescribeLoneSurrogate(value, index));
        }

        writer.WriteStringValue(value);
    }
}

/// <summary>Refuses a lone surrogate <see cref="char"/> (see <see cref="StrictStringConverter"/>).</summary>
internal sealed class StrictCharConverter : JsonConverter<char>
{
    public override char Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.GetString();
        return text is { Length: 1 } ? text[0] : throw new JsonException($"Expected a string of one character, found '{text}'.");
    }

    public override void Write(Utf8JsonWriter writer, char value, JsonSerializerOptions options)
    {
        if (char.IsSurrogate(value))
        {
            throw new JsonException($"a lone UTF-16 surrogate U+{(int)value:X4} cannot be written as JSON (it would come back as U+FFFD)");
        }

        Span<char> one = [value];
        writer.WriteStringValue(one);
    }
}
