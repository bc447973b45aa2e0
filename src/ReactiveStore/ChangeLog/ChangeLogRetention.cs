namespace ReactiveStore;

/// <summary>How much of the change log a store keeps: the newest <see cref="MaxChanges"/> changes, and none older than
/// <see cref="MaxAge"/> (when set). Resuming from a version older than what is kept throws
/// <see cref="ChangeLogCompactedException"/>.</summary>
public sealed record ChangeLogRetention
{
    /// <summary>Gets the default: the newest 10,000 changes, for at most 7 days.</summary>
    public static ChangeLogRetention Default { get; } = new();

    /// <summary>Gets how many of the newest changes are kept (default 10,000; at least 1).</summary>
    public int MaxChanges
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxChanges));
            field = value;
        }
    } = 10_000;

    /// <summary>Gets how long a change is kept (default 7 days); <see langword="null"/> keeps changes whatever their age.</summary>
    public TimeSpan? MaxAge
    {
        get;
        init
        {
            if (value is { } age && age <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxAge), age, "ChangeLogRetention.MaxAge must be positive, or null for no age limit.");
            }

            field = value;
        }
    } = TimeSpan.FromDays(7);
}
