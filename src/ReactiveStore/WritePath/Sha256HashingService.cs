using System.Security.Cryptography;

namespace ReactiveStore;

/// <summary>The default hashing service: SHA-256 of the canonical JSON, as 64 lower-case hex digits.</summary>
/// <remarks>Thread-safe: each thread reuses its own hash object, which saves the per-call setup of a one-shot hash.</remarks>
public sealed class Sha256HashingService : IHashingService
{
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    /// <summary>Gets the shared instance.</summary>
    public static Sha256HashingService Instance { get; } = new();

    /// <inheritdoc/>
    public string Hash(ReadOnlySpan<byte> canonicalJson)
    {
        IncrementalHash sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        sha256.AppendData(canonicalJson);
        sha256.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }
}
