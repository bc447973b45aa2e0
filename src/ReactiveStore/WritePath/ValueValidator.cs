using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ReactiveStore;

/// <summary>Checks, before a write commits, that a value can be persisted and read back exactly: finite numbers, no lone
/// surrogates, no cycles, a type the serializer supports. Independent of hashing and of whether the store persists.</summary>
/// <remarks>Primitives are checked without serializing; any other value is serialized once (with the write path's
/// strict options), and the canonical JSON is returned when the caller persists it, so it is not written twice.</remarks>
internal sealed class ValueValidator(JsonSerializerOptions writeOptions)
{
    private readonly bool _namedFloatingPointLiterals =
        (writeOptions.NumberHandling & System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals) != 0;

    /// <summary>Gets the serializer options writes are serialized with.</summary>
    public JsonSerializerOptions WriteOptions { get; } = writeOptions;

    /// <summary>Validates <paramref name="value"/>; returns its canonical JSON when <paramref name="captureJson"/> is set.</summary>
    /// <exception cref="StateSerializationException">The value cannot be written exactly.</exception>
    public byte[]? Validate<T>(StatePath path, T value, bool captureJson)
    {
        if (IsPlainPrimitive<T>())
        {
            return captureJson ? Serialize(path, value, capture: true) : null;
        }

        if (typeof(T) == typeof(string))
        {
            string? text = Unsafe.As<T, string?>(ref value);
            if (text is not null)
            {
                int index = TextRules.IndexOfLoneSurrogate(text);
                if (index >= 0)
                {
                    throw new StateSerializationException(path, typeof(string), TextRules.DescribeLoneSurrogate(text, index) + ".");
                }
            }

            return captureJson ? Serialize(path, value, capture: true) : null;
        }

        if (typeof(T) == typeof(double))
        {
            CheckFinite(path, typeof(double), double.IsFinite(Unsafe.As<T, double>(ref value)));
            return captureJson ? Serialize(path, value, capture: true) : null;
        }

        if (typeof(T) == typeof(float))
        {
            CheckFinite(path, typeof(float), float.IsFinite(Unsafe.As<T, float>(ref value)));
            return captureJson ? Serialize(path, value, capture: true) : null;
        }

        if (value is null)
        {
            return captureJson ? "null"u8.ToArray() : null;
        }

        // Anything else: serialize once. The strict options refuse lone surrogates; the serializer refuses cycles,
        // non-finite numbers (unless the options allow named literals) and unsupported types.
        return Serialize(path, value, captureJson);
    }

    /// <summary>Checks the text fields of a write's options (tags, authorship, comment, schema hash) the same way.</summary>
    /// <exception cref="ArgumentException">A tag is null or empty, or a text has a lone surrogate.</exception>
    public static void ValidateOptions(StatePath path, SetOptions? options)
    {
        if (options is null)
        {
            return;
        }

        CheckText(path, "SetOptions.ModifiedBy", options.ModifiedBy);
        CheckText(path, "SetOptions.Comment", options.Comment);
        CheckText(path, "SetOptions.SchemaHash", options.SchemaHash);
        if (options.Tags is { } tags)
        {
            for (int i = 0; i < tags.Count; i++)
            {
                string? tag = tags[i];
                if (string.IsNullOrEmpty(tag))
                {
                    throw new ArgumentException(
                        $"Cannot write '{path}': SetOptions.Tags[{i}] is {(tag is null ? "null" : "empty")}; tags are non-empty strings.", nameof(options));
                }

                CheckText(path, $"SetOptions.Tags[{i}]", tag);
            }
        }
    }

    private static void CheckText(StatePath path, string field, string? text)
    {
        if (text is null)
        {
            return;
        }

        int index = TextRules.IndexOfLoneSurrogate(text);
        if (index >= 0)
        {
#pragma warning disable CA2208 // the argument at fault is the write's options, named for the caller
            throw new ArgumentException($"Cannot write '{path}': {field}: {TextRules.DescribeLoneSurrogate(text, index)}.", "options");
#pragma warning restore CA2208
        }
    }

    private static bool IsPlainPrimitive<T>() =>
        typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(bool) || typeof(T) == typeof(decimal)
        || typeof(T) == typeof(Guid) || typeof(T) == typeof(short) || typeof(T) == typeof(byte) || typeof(T) == typeof(uint)
        || typeof(T) == typeof(ulong) || typeof(T) == typeof(ushort) || typeof(T) == typeof(sbyte)
        || typeof(T) == typeof(DateTime) || typeof(T) == typeof(DateTimeOffset) || typeof(T) == typeof(TimeSpan)
        || typeof(T) == typeof(int?) || typeof(T) == typeof(long?) || typeof(T) == typeof(bool?) || typeof(T) == typeof(decimal?)
        || typeof(T) == typeof(Guid?) || typeof(T) == typeof(DateTime?) || typeof(T) == typeof(DateTimeOffset?);

    private void CheckFinite(StatePath path, Type type, bool finite)
    {
        if (!finite && !_namedFloatingPointLiterals)
        {
            throw new StateSerializationException(
                path,
                type,
                "NaN and infinities are not JSON numbers. Store a finite number, or allow them with JsonNumberHandling.AllowNamedFloatingPointLiterals in StateStoreOptions.JsonSerializerOptions.");
        }
    }

    private byte[]? Serialize<T>(StatePath path, T value, bool capture)
    {
        try
        {
            ReadOnlySpan<byte> json = CanonicalJson.Write(value, WriteOptions);
            return capture ? json.ToArray() : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            Type type = value?.GetType() ?? typeof(T);
            throw new StateSerializationException(path, type, $"{ex.Message.TrimEnd('.')}. Nothing was written.", ex);
        }
    }
}
