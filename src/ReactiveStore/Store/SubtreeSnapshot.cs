using System.Text.Json.Nodes;

namespace ReactiveStore;

/// <summary>The values of a subtree captured at one moment, turned into a nested <see cref="JsonObject"/> on demand.</summary>
/// <remarks>Keys are independent, so a path may hold a value and have descendants; in the nested form such a path is an
/// object whose reserved property <see cref="ValueProperty"/> holds its own value, beside its children. (Segments cannot
/// start with <c>__</c>, so the name never collides with a child.)</remarks>
internal sealed class SubtreeSnapshot(StatePath root, List<KeyValuePair<StatePath, StateEntry>> leaves)
{
    /// <summary>The property that holds the own value of a path that also has children, in the nested form.</summary>
    public const string ValueProperty = "__value";

    public StatePath Root { get; } = root;

    /// <summary>The values, in path order (a path before its descendants).</summary>
    public List<KeyValuePair<StatePath, StateEntry>> Leaves { get; } = leaves;

    /// <summary>Builds the nested object; each call returns a new, independent tree.</summary>
    public JsonObject ToJson(ValueConverter converter)
    {
        var result = new JsonObject();
        var containers = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance) { result };
        int rootDepth = Root.Depth;
        foreach (KeyValuePair<StatePath, StateEntry> leaf in Leaves)
        {
            StatePath path = leaf.Key;
            JsonNode? value = converter.ToNode(leaf.Value.UntypedValue);
            if (path.Depth == rootDepth)
            {
                result[ValueProperty] = value; // the root's own value, beside its descendants
                continue;
            }

            JsonObject parent = result;
            for (int i = rootDepth; i < path.Depth - 1; i++)
            {
                parent = ChildObject(parent, path[i], containers);
            }

            string name = path.Name;
            if (parent[name] is JsonObject existing && containers.Contains(existing))
            {
                // Cannot happen in path order (a path comes before its descendants), but keep both if it does.
                existing[ValueProperty] = value;
            }
            else
            {
                parent[name] = value;
            }
        }

        return result;
    }

    private static JsonObject ChildObject(JsonObject parent, string segment, HashSet<JsonObject> containers)
    {
        JsonNode? current = parent[segment];
        if (current is JsonObject child && containers.Contains(child))
        {
            return child;
        }

        // A value stored at an ancestor of this leaf: the ancestor becomes an object that keeps its value under __value.
        child = new JsonObject();
        containers.Add(child);
        if (current is not null || parent.ContainsKey(segment))
        {
            parent.Remove(segment);
            child[ValueProperty] = current;
        }

        parent[segment] = child;
        return child;
    }
}
