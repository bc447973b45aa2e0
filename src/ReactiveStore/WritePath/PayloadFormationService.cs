using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReactiveStore;

/// <summary>The default payload formation: reads the mapped paths at one consistent moment (no commit of the store lands
/// half-way through) and nests dotted field names.</summary>
public sealed class PayloadFormationService : IPayloadFormationService
{
    /// <summary>Gets the shared instance.</summary>
    public static PayloadFormationService Instance { get; } = new();

    /// <inheritdoc/>
    public JsonObject Form(StateStore store, PayloadMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mapping);
        JsonNode?[] values = store.ReadConsistent(
            (Store: store, Mapping: mapping),
            static state =>
            {
                var read = new JsonNode?[state.Mapping.Fields.Count];
                for (int i = 0; i < read.Length; i++)
                {
                    read[i] = state.Store.GetNode(state.Mapping.Fields[i].Value);
                }

                return read;
            });

        var record = new JsonObject();
        for (int i = 0; i < values.Length; i++)
        {
            StatePath field = StatePath.Parse(mapping.Fields[i].Key);
            JsonObject parent = record;
            for (int depth = 0; depth < field.Depth - 1; depth++)
            {
                string segment = field[depth];
                if (parent[segment] is not JsonObject next)
                {
                    next = new JsonObject();
                    parent[segment] = next;
                }

                parent = next;
            }

            parent[field.Name] = values[i];
        }

        return record;
    }

    /// <inheritdoc/>
    public T? Form<T>(StateStore store, PayloadMapping mapping)
    {
        JsonObject record = Form(store, mapping);
        try
        {
            return record.Deserialize<T>(store.SerializerOptions);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new StateTypeMismatchException(
                $"Cannot form a {TypeNames.Format(typeof(T))} from the fields {string.Join(", ", mapping.Fields.Select(f => $"{f.Key} ← '{f.Value}'"))}: {ex.Message}",
                ex);
        }
    }
}
