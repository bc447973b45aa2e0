using System.Security.Cryptography;

namespace ReactiveStore;

/// <summary>The default hashing service: SHA-256 of the canonical JSON, as 64 lower-case hex digits.</summary>
public sealed class Sha256HashingService : IHashingService
{
    /// <summary>Gets the shared instance.</summary>
    public static Sha256HashingService Instance { get; } = new();

    /// <inheritdoc/>
    public string Hash(ReadOnlySpan<byte> canonicalJson)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(canonicalJson, digest);
        return Convert.ToHexStringLower(digest);
    }
}
