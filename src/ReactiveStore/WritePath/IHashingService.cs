namespace ReactiveStore;

/// <summary>Computes <see cref="EntryMetadata.DataHash"/> from a value's canonical JSON.</summary>
public interface IHashingService
{
    /// <summary>Hashes canonical JSON bytes.</summary>
    /// <param name="canonicalJson">The value as canonical UTF-8 JSON (object properties sorted ordinally, no whitespace).</param>
    /// <returns>The hash as text.</returns>
    string Hash(ReadOnlySpan<byte> canonicalJson);
}
