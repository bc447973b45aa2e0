namespace ReactiveStore;

/// <summary>Why a change was committed; replay uses it to know which changes to apply and which the target recomputes.</summary>
public enum ChangeCause
{
    /// <summary>Application code wrote it (a <c>Set</c>, <c>Delete</c>, <c>Ping</c> or batch), or sync or a migration did.</summary>
    Write,

    /// <summary>An effect wrote it (a <c>Track</c> callback, a signal <c>Effect</c>): replay re-runs the effect and checks it
    /// writes the same.</summary>
    Effect,

    /// <summary>A derivation wrote (or removed) its derived value: replay recomputes it.</summary>
    Derived,

    /// <summary>The value's expiry removed it (only the key's own value, not its descendants).</summary>
    Expiry,
}
