using System.Text.Json.Nodes;

namespace ReactiveStore;

/// <summary>The leaves of a subtree captured at one moment, turned into a nested <see cref="JsonObject"/> on demand.</summary>
internal sealed class SubtreeSnapshot(StatePath root, List<KeyValuePair<StatePath, StateEntry>> leaves)
{
    public StatePath Root { get; } = root;

    public List<KeyValuePair<StatePath, StateEntry>> Leaves { get; } = leaves;

    /// <summary>Builds the nested object; each call returns a new, independent tree.</summary>
    public JsonObject ToJson(ValueConverter converter)
    {
        var result = new JsonObject();
        int rootDepth = Root.Depth;
        foreach (KeyValuePair<StatePath, StateEntry> leaf in Leaves)
        {
            StatePath path = leaf.Key;
            JsonObject parent = result;
            for (int i = rootDepth; i < path.Depth - 1; i++)
            {
                string segment = path[i];
                if (parent[segment] is not JsonObject next)
                {
                    next = new JsonObject();
                    parent[segment] = next;
                }

                parent = next;
            }

            parent[path.Name] = converter.ToNode(leaf.Value.UntypedValue);
        }

        return result;
    }
}
