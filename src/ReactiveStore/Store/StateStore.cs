using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>A thread-safe hierarchical key-value store of typed values that emits change events to subscribers.</summary>
/// <remarks>
/// <para>Every member is safe to call from any thread. Writes serialize on one write lock and are committed in a total
/// order (the store <see cref="StateEvent.Version"/>); point reads take no lock, yet never observe half of a batch.</para>
/// <para>Events are delivered after the commit, outside the lock, in commit order: by one background worker
/// (<see cref="DispatchMode.Background"/>, the default) or on the writing thread (<see cref="DispatchMode.Inline"/>).</para>
/// </remarks>
public sealed partial class StateStore : IDisposable, IAsyncDisposable, IStateEventSink
{
    private readonly EntryTable _table = new();
    private readonly SubscriptionIndex _index = new();
    private readonly ConcurrentDictionary<long, Subscription> _subscriptions = new();
    private readonly EventDispatcher _dispatcher;
    private readonly ValueConverter _converter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    // Odd while a commit is being applied; point readers retry (or wait) until it is even and unchanged.
    private long _commitSequence;
    private int _commitDepth;
    private long _version;
    private long _nextSubscriptionId;
    private readonly CommitScope _reusableScope = new();
    private readonly IStateStorage? _storage;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The write path is a decorator chain; its outer type is not part of the design.")]
    private readonly IWriteOrchestrator _orchestrator;
    private readonly IKeyService _keys;
    private readonly ExpiryScheduler _expiry;
    private CommitScope? _scope;
    private TaskCompletionSource? _shutdown;

    /// <summary>Creates an in-memory store with background dispatch.</summary>
    public StateStore()
        : this(new StateStoreOptions())
    {
    }

    /// <summary>Creates a store with the given options.</summary>
    /// <param name="options">The configuration.</param>
    public StateStore(StateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _timeProvider = options.TimeProvider;
        _converter = new ValueConverter(options.JsonSerializerOptions);
        ILoggerFactory loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("ReactiveStore.StateStore");
        DeadLetters = new DeadLetterCollection(options.DeadLetterCapacity);
        ILogger dispatchLogger = loggerFactory.CreateLogger("ReactiveStore.Dispatch");
        _dispatcher = options.DispatchMode switch
        {
            DispatchMode.Background => new BackgroundDispatcher(_index, DeadLetters, dispatchLogger, _timeProvider, options.SynchronizationContext, options.RetryPolicy, options.CallbackTimeout),
            DispatchMode.Inline => new InlineDispatcher(_index, DeadLetters, dispatchLogger, _timeProvider, options.SynchronizationContext),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.DispatchMode, $"Unknown dispatch mode {options.DispatchMode}."),
        };
        _dispatcher.Failures.Sender = this;

        // The composed write path: a pure orchestrator over replaceable services, with logging and events as decorators.
        _storage = options.Storage;
        _keys = options.KeyService;
        var orchestrator = new WriteOrchestrator(
            _keys,
            options.LockManager ?? new NamespaceLockManager(),
            options.HashingService,
            options.MetadataService ?? new MetadataService(options.MaxRevisions),
            _storage is null ? null : new StagedStorage(_storage, _reusableScope.StorageWrites),
            _converter.Options);
        _orchestrator = new EventingWriteOrchestrator(new LoggingWriteOrchestrator(orchestrator, loggerFactory.CreateLogger("ReactiveStore.WritePath")), this);
        _expiry = new ExpiryScheduler(_timeProvider, ExpireDue);
        if (_storage is not null)
        {
            Load(_storage);
        }
    }

    /// <summary>Gets the options the store was created with.</summary>
    public StateStoreOptions Options { get; }

    /// <summary>Gets the serializer options the store converts and binds values with.</summary>
    public System.Text.Json.JsonSerializerOptions SerializerOptions => _converter.Options;

    /// <summary>Gets the events subscribers failed to process.</summary>
    public DeadLetterCollection DeadLetters { get; }

    /// <summary>Raised for every failed attempt to deliver an event to a subscriber, and for every event dead-lettered.</summary>
    /// <remarks>Raised on the dispatching thread (the background worker, or the writer with inline dispatch), after the
    /// failure was logged; keep handlers short. A handler that throws is logged and does not affect delivery. With no
    /// logger that records the failure, the store also writes one <see cref="Trace.TraceWarning(string)"/> line per failure.</remarks>
    public event EventHandler<CallbackFailedEventArgs>? CallbackFailed
    {
        add => _dispatcher.Failures.Add(value);
        remove => _dispatcher.Failures.Remove(value);
    }

    /// <summary>Gets the store-wide version of the last committed write (0 before the first).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Gets the number of stored values.</summary>
    public int Count => _table.Count;

    /// <summary>Gets the number of active subscriptions (callbacks, watchers and observers).</summary>
    public int SubscriptionCount => _index.Count;

    /// <summary>Gets whether the store was shut down or disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _shutdown) is not null;

    /// <summary>Creates a store and loads its durable storage, if any.</summary>
    /// <param name="options">The configuration; <see langword="null"/> for an in-memory store.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The open store.</returns>
    /// <remarks>With <see cref="StateStoreOptions.Storage"/> set, every stored entry is loaded (as JSON, bound to the type
    /// each reader asks for) on a thread-pool thread; the constructor loads the same way, synchronously.</remarks>
    public static async ValueTask<StateStore> OpenAsync(StateStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new StateStoreOptions();
        if (options.Storage is null)
        {
            return new StateStore(options);
        }

        // Loading reads the whole driver: keep it off the caller's (possibly UI) thread.
        return await Task.Run(() => new StateStore(options), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns once every write so far has reached durable storage and every event queued so far has been
    /// delivered to every subscriber.</summary>
    /// <param name="cancellationToken">Stops waiting (delivery goes on).</param>
    /// <returns>A task that completes when the events are delivered.</returns>
    /// <remarks>Do not await this from inside a subscriber callback: it would wait for itself.</remarks>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_storage is not null)
        {
            using (GraphLock.Enter())
            {
                if (!IsDisposed)
                {
                    _storage.Flush();
                }
            }
        }

        await _dispatcher.WhenDeliveredAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting writes, delivers every event already queued, then ends all subscriptions.</summary>
    /// <remarks>Idempotent. Called from inside a subscriber callback it does not wait for delivery to finish.
    /// Writes after this throw <see cref="ObjectDisposedException"/>; reads keep working.</remarks>
    public void Shutdown()
    {
        Task done = BeginShutdown();
        if (!_dispatcher.IsDispatchingOnCurrentThread)
        {
            done.GetAwaiter().GetResult();
        }
    }

    /// <summary>Shuts the store down; see <see cref="Shutdown"/>.</summary>
    public void Dispose() => Shutdown();

    /// <summary>Shuts the store down and waits asynchronously for queued events to be delivered.</summary>
    /// <returns>A task that completes once the store has shut down.</returns>
    public ValueTask DisposeAsync() => new(BeginShutdown());

    internal void ThrowIfNotInBatchOnThisThread()
    {
        if (!GraphLock.IsHeldByCurrentThread || _scope?.Writer is null)
        {
            throw new InvalidOperationException("A batch writer can be used only on the thread running the batch, while the batch runs.");
        }
    }

    private Task BeginShutdown()
    {
        TaskCompletionSource shutdown;
        using (GraphLock.Enter())
        {
            if (_shutdown is not null)
            {
                return _shutdown.Task;
            }

            shutdown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _shutdown, shutdown);
        }

        StopReactiveWork();
        using (GraphLock.Enter())
        {
            _expiry.Dispose();
        }

        _ = CompleteShutdownAsync(shutdown);
        return shutdown.Task;
    }

    private async Task CompleteShutdownAsync(TaskCompletionSource shutdown)
    {
        try
        {
            await _dispatcher.CompleteAsync().ConfigureAwait(false);
            foreach (Subscription subscription in _subscriptions.Values)
            {
                EndSubscription(subscription, storeShutdown: true);
            }

            (_dispatcher as IDisposable)?.Dispose();
            if (_storage is not null)
            {
                using (GraphLock.Enter())
                {
                    _storage.Flush();
                    _storage.Dispose();
                }
            }

            Log.ShutDown(_logger, _dispatcher.DeliveredCount);
            shutdown.TrySetResult();
        }
        catch (Exception ex)
        {
            shutdown.TrySetException(ex);
        }
    }

    private void ThrowIfDisposed()
    {
        if (_shutdown is not null)
        {
            throw new ObjectDisposedException(nameof(StateStore), "The store has been shut down; it accepts no more writes or subscriptions.");
        }
    }

    /// <summary>Loads every entry from storage into the table (no events): values stay JSON until a reader asks for a type.</summary>
    private void Load(IStateStorage storage)
    {
        long start = Stopwatch.GetTimestamp();
        int count = 0;
        using (GraphLock.Enter())
        {
            foreach (KeyValuePair<string, StoredEntry> item in storage.ReadAll())
            {
                StatePath path = _keys.Parse(item.Key);
                System.Text.Json.JsonElement value = System.Text.Json.JsonDocument.Parse(item.Value.ValueJson).RootElement.Clone();
                TableNode node = _table.GetOrCreateLeaf(path);
                _table.Put(node, new StateEntry<System.Text.Json.JsonElement>(value, item.Value.Metadata));
                if (item.Value.Metadata.ExpiresAt is { } expiresAt)
                {
                    _expiry.Schedule(path, expiresAt);
                }

                count++;
            }
        }

        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Log.Loaded(_logger, count, milliseconds);
    }

    /// <summary>Deletes (with events) every entry whose expiry has passed; called by the expiry timer.</summary>
    private void ExpireDue()
    {
        bool any = false;
        using (GraphLock.Enter())
        {
            if (IsDisposed)
            {
                return;
            }

            DateTimeOffset now = _timeProvider.GetUtcNow();
            BeginCommit();
            try
            {
                while (_expiry.TryTakeDue(now, out StatePath path, out DateTimeOffset expiresAt))
                {
                    // Skip stale schedules: the entry was rewritten (new expiry) or removed since.
                    if (_table.Find(path.Value)?.Entry?.Metadata.ExpiresAt == expiresAt)
                    {
                        any |= ApplyDelete(path, derivedWrite: true, expiry: true);
                    }
                }
            }
            finally
            {
                EndCommit();
                _expiry.Rearm();
            }
        }

        if (any)
        {
            AfterCommit();
        }
    }

    private bool IsExpired(StateEntry entry) => entry.Metadata.ExpiresAt is { } expiresAt && expiresAt <= _timeProvider.GetUtcNow();
}
