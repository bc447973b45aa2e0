using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReactiveStore.Storage;

/// <summary>Source-generated serializer metadata for the JSON types storage needs, so it uses no reflection.</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class StoredEntryJsonContext : JsonSerializerContext;
