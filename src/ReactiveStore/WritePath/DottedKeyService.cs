namespace ReactiveStore;

/// <summary>The default key service: a key is the dotted path itself (<c>config.theme</c>).</summary>
public sealed class DottedKeyService : IKeyService
{
    /// <summary>Gets the shared instance.</summary>
    public static DottedKeyService Instance { get; } = new();

    /// <inheritdoc/>
    public string Serialize(StatePath path) => path.ToString();

    /// <inheritdoc/>
    public StatePath Parse(string key) => StatePath.Parse(key);
}
