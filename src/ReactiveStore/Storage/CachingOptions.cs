using Microsoft.Extensions.Logging;

namespace ReactiveStore.Storage;

/// <summary>Configuration of a <see cref="CachingStorage"/>: when buffered writes are flushed to the inner driver.</summary>
public sealed record CachingOptions
{
    /// <summary>Gets how often buffered writes are flushed by a timer; <see langword="null"/> (the default) runs no timer.</summary>
    public TimeSpan? FlushInterval
    {
        get;
        init
        {
            if (value is { } interval && interval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(FlushInterval), value, "The flush interval must be positive, or null for no timer.");
            }

            field = value;
        }
    }

    /// <summary>Gets whether every read (<c>TryGet</c>, <c>Keys</c>, <c>ReadAll</c>) first flushes the buffered writes.</summary>
    public bool FlushOnRead { get; init; }

    /// <summary>Gets whether a <c>Write</c> that sets a key flushes before it returns (write-through for sets).</summary>
    public bool FlushOnWrite { get; init; }

    /// <summary>Gets whether a <c>Write</c> that deletes a key flushes before it returns (write-through for deletes).</summary>
    public bool FlushOnDelete { get; init; }

    /// <summary>Gets the clock whose timers drive <see cref="FlushInterval"/> (default <see cref="System.TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(TimeProvider));
    } = TimeProvider.System;

    /// <summary>Gets the logger for timed flushes that fail; <see langword="null"/> logs nowhere.</summary>
    public ILogger? Logger { get; init; }
}
