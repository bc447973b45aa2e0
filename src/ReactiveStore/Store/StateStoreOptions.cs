using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ReactiveStore;

/// <summary>Configuration of a <see cref="StateStore"/>.</summary>
public sealed record StateStoreOptions
{
    /// <summary>Gets how events are delivered (default <see cref="ReactiveStore.DispatchMode.Background"/>).</summary>
    public DispatchMode DispatchMode { get; init; } = DispatchMode.Background;

    /// <summary>Gets how the background dispatcher retries a throwing callback (default <see cref="RetryPolicy.Default"/>).</summary>
    public RetryPolicy RetryPolicy
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(RetryPolicy));
    } = RetryPolicy.Default;

    /// <summary>Gets how long one background callback may run before the dispatcher abandons it and moves on (default 30 s).</summary>
    /// <remarks><see cref="Timeout.InfiniteTimeSpan"/> turns the watchdog off. Inline dispatch has no watchdog.</remarks>
    public TimeSpan CallbackTimeout
    {
        get;
        init
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(CallbackTimeout), value, "The callback timeout must be positive, or Timeout.InfiniteTimeSpan.");
            }

            field = value;
        }
    } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how many dead letters the store keeps before it drops the oldest (default 1,000).</summary>
    public int DeadLetterCapacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(DeadLetterCapacity));
            field = value;
        }
    } = 1000;

    /// <summary>Gets the factory of the loggers the store writes to; <see langword="null"/> logs nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Gets the clock used for entry metadata (default <see cref="System.TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(TimeProvider));
    } = TimeProvider.System;

    /// <summary>Gets the default context subscribers' callbacks are posted to; <see langword="null"/> runs them on the dispatcher.</summary>
    public SynchronizationContext? SynchronizationContext { get; init; }

    /// <summary>Gets the serializer options used to convert values between types and to build subtrees; <see langword="null"/> uses the store's defaults.</summary>
    /// <remarks>The defaults use camelCase property names, case-insensitive binding and strict number handling.</remarks>
    public JsonSerializerOptions? JsonSerializerOptions { get; init; }
}
