namespace ReactiveStore;

/// <summary>What happened at the path of a <see cref="StateEvent"/>.</summary>
public enum StateEventType
{
    /// <summary>A value was stored (created or changed).</summary>
    Set = 0,

    /// <summary>A value and its whole subtree were removed.</summary>
    Delete = 1,

    /// <summary>Subscribers were notified without any change of state.</summary>
    Ping = 2,
}
