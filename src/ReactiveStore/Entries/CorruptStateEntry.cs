using System.Runtime.ExceptionServices;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>An entry that storage could not read: it holds its key's place, and reading its value throws the
/// <see cref="StorageCorruptionException"/> that names the file or row, so one bad entry never takes the store down.</summary>
/// <remarks>Writing the key replaces it; deleting the key removes it.</remarks>
internal sealed class CorruptStateEntry(StorageCorruptionException error, EntryMetadata metadata) : StateEntry(metadata)
{
    public StorageCorruptionException Error { get; } = error;

    public override Type ValueType => typeof(object);

    public override object? UntypedValue
    {
        get
        {
            ExceptionDispatchInfo.Throw(Error);
            return null;
        }
    }

    internal override StateEntry WithMetadata(EntryMetadata metadata) => new CorruptStateEntry(Error, metadata);

    internal override byte[] ToCanonicalJson(System.Text.Json.JsonSerializerOptions options)
    {
        ExceptionDispatchInfo.Throw(Error);
        return [];
    }

    internal override string HashValue(DataHasher hasher)
    {
        ExceptionDispatchInfo.Throw(Error);
        return string.Empty;
    }
}
