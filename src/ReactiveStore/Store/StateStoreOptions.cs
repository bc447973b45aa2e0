using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReactiveStore.Storage;

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

    /// <summary>Gets the storage driver the store loads from and persists to; <see langword="null"/> (the default) keeps
    /// state in memory only. The store owns the driver: it flushes and disposes it when the store shuts down.</summary>
    public IStateStorage? Storage { get; init; }

    /// <summary>Gets how many revisions each entry's <see cref="EntryMetadata.RevisionHistory"/> keeps (default 16; 0 keeps none).</summary>
    public int MaxRevisions
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxRevisions));
            field = value;
        }
    } = 16;

    /// <summary>Gets the service that hashes each written value's canonical JSON into <see cref="EntryMetadata.DataHash"/>
    /// (default SHA-256); <see langword="null"/> switches hashing off.</summary>
    /// <remarks>Hashing serializes every written value: see docs/storage.md for what it costs per write.</remarks>
    public IHashingService? HashingService { get; init; } = Sha256HashingService.Instance;

    /// <summary>Gets the service that turns paths into storage keys (default <see cref="DottedKeyService"/>).</summary>
    public IKeyService KeyService
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(KeyService));
    } = DottedKeyService.Instance;

    /// <summary>Gets the service that builds entry metadata; <see langword="null"/> uses <see cref="ReactiveStore.MetadataService"/> with <see cref="MaxRevisions"/>.</summary>
    public IMetadataService? MetadataService { get; init; }

    /// <summary>Gets the per-namespace lock manager; <see langword="null"/> uses a new <see cref="NamespaceLockManager"/>.</summary>
    public ILockManager? LockManager { get; init; }

    /// <summary>Gets how much of the change log the store keeps for resumed watches and <c>Explain</c>
    /// (default <see cref="ReactiveStore.ChangeLogRetention.Default"/>: 10,000 changes, 7 days).</summary>
    /// <remarks>Durable drivers that implement <see cref="IChangeLogStorage"/> keep it across restarts; otherwise it lives
    /// in memory.</remarks>
    public ChangeLogRetention ChangeLogRetention
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(ChangeLogRetention));
    } = ChangeLogRetention.Default;

    /// <summary>Gets the journal every committed change is appended to (for example a <c>FileJournal</c>); <see langword="null"/> keeps none.</summary>
    /// <remarks>The store owns the journal: it disposes it when it shuts down.</remarks>
    public IChangeJournal? Journal { get; init; }
}
