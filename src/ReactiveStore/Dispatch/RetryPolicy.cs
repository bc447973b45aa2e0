namespace ReactiveStore;

/// <summary>How the background dispatcher retries a callback that throws.</summary>
/// <remarks>The delay before attempt <c>n + 1</c> is <c>BaseDelay * Factor^(n - 1)</c>, capped at <see cref="MaxDelay"/>.</remarks>
public sealed record RetryPolicy
{
    /// <summary>Gets the default policy: 5 attempts, 10 ms base delay, factor 2.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>Gets a policy that tries once and sends a failing event straight to the dead letters.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Gets the number of attempts in all, the first included (at least 1).</summary>
    public int MaxAttempts
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxAttempts));
            field = value;
        }
    } = 5;

    /// <summary>Gets the delay before the second attempt.</summary>
    public TimeSpan BaseDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(BaseDelay));
            field = value;
        }
    } = TimeSpan.FromMilliseconds(10);

    /// <summary>Gets the factor each further delay is multiplied by (at least 1).</summary>
    public double Factor
    {
        get;
        init
        {
            if (!(value >= 1.0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(Factor), value, "The backoff factor must be a finite number of at least 1.");
            }

            field = value;
        }
    } = 2.0;

    /// <summary>Gets the longest delay between two attempts.</summary>
    public TimeSpan MaxDelay
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(MaxDelay));
            field = value;
        }
    } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the delay to wait after the given failed attempt.</summary>
    /// <param name="failedAttempt">The 1-based number of the attempt that failed.</param>
    /// <returns>The delay before the next attempt.</returns>
    public TimeSpan GetDelay(int failedAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        double ticks = BaseDelay.Ticks * Math.Pow(Factor, failedAttempt - 1);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
