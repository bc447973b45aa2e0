using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>A thread-safe hierarchical key-value store of typed values that emits change events to subscribers.</summary>
/// <remarks>
/// <para>Every member is safe to call from any thread. Writes to one store commit in one order (the store
/// <see cref="StateEvent.Version"/>) through the store's commit pipeline; writes to different stores never wait for each
/// other; storage I/O never runs while a lock that readers, other stores or the signal engine need is held. Point reads
/// take no lock, yet never observe half of a commit.</para>
/// <para>Events are delivered after the commit, outside every lock, in commit order: by one background worker
/// (<see cref="DispatchMode.Background"/>, the default) or on the writing thread (<see cref="DispatchMode.Inline"/>).</para>
/// <para>This type is a façade: the table (<c>EntryTable</c>), the commit pipeline (<c>CommitPipeline</c>), the write rules
/// (<c>WriteApplier</c>), derived values (<c>DerivationRegistry</c>) and dispatch each live in their own type; see
/// docs/architecture.md.</para>
/// </remarks>
public sealed partial class StateStore : IDisposable, IAsyncDisposable
{
    private readonly EntryTable _table = new();
    private readonly SubscriptionIndex _index = new();
    private readonly ConcurrentDictionary<long, Subscription> _subscriptions = new();
    private readonly EventDispatcher _dispatcher;
    private readonly ValueConverter _converter;
    private readonly ValueValidator _validator;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IStateStorage? _storage;
    private readonly IKeyService _keys;
    private readonly IMetadataService _metadata;
    private readonly ExpiryScheduler _expiry;
    private readonly PathSignals _signals;
    private readonly CommitPublisher _publisher;
    private readonly ChangeLog _changeLog;
    private readonly CommitPipeline _pipeline;
    private readonly WriteApplier _applier;
    private readonly DerivationRegistry _derivations;
    private long _nextSubscriptionId;
    private int _expiryFailures;
    private TaskCompletionSource? _shutdown;

    /// <summary>Creates an in-memory store with background dispatch.</summary>
    public StateStore()
        : this(new StateStoreOptions())
    {
    }

    /// <summary>Creates a store with the given options.</summary>
    /// <param name="options">The configuration.</param>
    /// <remarks>With <see cref="StateStoreOptions.Storage"/> set, every stored entry is loaded synchronously; prefer
    /// <see cref="OpenAsync"/>, which loads on a thread-pool thread.</remarks>
    public StateStore(StateStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _timeProvider = options.TimeProvider;
        _converter = new ValueConverter(options.JsonSerializerOptions);
        _validator = new ValueValidator(_converter.WriteOptions);
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

        _storage = options.Storage;
        _keys = options.KeyService;
        _metadata = options.MetadataService ?? new MetadataService(options.MaxRevisions);
        _signals = new PathSignals(_table);
        _expiry = new ExpiryScheduler(_timeProvider, OnExpiryTimer);
        _changeLog = new ChangeLog(options.ChangeLogRetention, _converter.WriteOptions, _storage, options.Journal, _timeProvider);
        _publisher = new CommitPublisher(_table, _signals, _expiry, _index, _dispatcher, _converter, _changeLog);
        _pipeline = new CommitPipeline(_table, _publisher, _signals, _storage, _changeLog);
        _derivations = new DerivationRegistry(this, _table, _pipeline, _signals, _index, _logger);

        // The composed write path: a pure orchestrator over replaceable services, with logging and events as decorators.
        DataHasher? hasher = options.HashingService is null ? null : new DataHasher(options.HashingService, _converter.WriteOptions);
        var orchestrator = new WriteOrchestrator(_keys, options.LockManager, hasher, _metadata, _converter.WriteOptions, persist: _storage is not null);
        var chain = new EventingWriteOrchestrator(new LoggingWriteOrchestrator(orchestrator, loggerFactory.CreateLogger("ReactiveStore.WritePath")));
        _applier = new WriteApplier(_table, chain, _derivations, _timeProvider, _converter);
        if (_storage is not null)
        {
            Load(_storage);
        }

        // The store's version continues from its durable change log (or journal), so versions stay unique across restarts.
        _publisher.Restore(_changeLog.Open());
    }

    /// <summary>Gets the options the store was created with.</summary>
    public StateStoreOptions Options { get; }

    /// <summary>Gets the serializer options the store converts and binds values with.</summary>
    public JsonSerializerOptions SerializerOptions => _converter.Options;

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
    public long Version => _publisher.Version;

    /// <summary>Gets the number of stored values.</summary>
    public int Count => _table.Count;

    /// <summary>Gets the number of active subscriptions (callbacks, watchers and observers).</summary>
    public int SubscriptionCount => _index.Count;

    /// <summary>Gets how many keys have a live expiry schedule (for tests).</summary>
    internal int ExpirySchedules => _expiry.Count;

    /// <summary>Gets how many schedules the expiry queue holds, stale ones included (for tests).</summary>
    internal int ExpiryQueueLength => _expiry.QueueLength;

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
        if (_storage is not null && !_pipeline.IsClosed)
        {
            Task flushed;
            try
            {
                flushed = _pipeline.FlushAsync();
            }
            catch (ObjectDisposedException)
            {
                flushed = Task.CompletedTask; // shut down meanwhile: shutdown flushed the storage
            }

            await flushed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await _dispatcher.WhenDeliveredAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting writes, delivers every event already queued, flushes and closes the storage, then ends all
    /// subscriptions.</summary>
    /// <remarks>Idempotent. Writes already acknowledged are durable; writes still queued behind the commit in flight fail
    /// with <see cref="ObjectDisposedException"/>, as do writes after this. Reads keep working. Called from inside a
    /// subscriber callback it does not wait for delivery to finish. If the final storage flush fails, the storage is still
    /// closed and the exception is thrown from here.</remarks>
    public void Shutdown()
    {
        Task done = BeginShutdown();
        if (!_dispatcher.IsDispatchingOnCurrentThread && !_pipeline.IsStagingOnCurrentThread)
        {
            done.GetAwaiter().GetResult();
        }
    }

    /// <summary>Shuts the store down; see <see cref="Shutdown"/>.</summary>
    public void Dispose() => Shutdown();

    /// <summary>Shuts the store down and waits asynchronously for queued events to be delivered.</summary>
    /// <returns>A task that completes once the store has shut down.</returns>
    public ValueTask DisposeAsync() => new(BeginShutdown());

    /// <summary>Reports a write that a callback or effect made and that failed when it was committed later.</summary>
    internal void ReportDeferredWriteFailure(DeferredWrite write, Exception exception) =>
        Log.DeferredWriteFailed(_logger, exception, write.Description);

    private Task BeginShutdown()
    {
        var shutdown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _shutdown, shutdown, null) is { } existing)
        {
            return existing.Task;
        }

        // No new writes; queued ones fail; the group in flight completes (its writes were acknowledged).
        _pipeline.Close();
        _derivations.Stop();
        _expiry.Dispose();
        _ = CompleteShutdownAsync(shutdown);
        return shutdown.Task;
    }

    private async Task CompleteShutdownAsync(TaskCompletionSource shutdown)
    {
        Exception? failure = null;
        try
        {
            await _dispatcher.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        foreach (Subscription subscription in _subscriptions.Values)
        {
            EndSubscription(subscription, storeShutdown: true);
        }

        (_dispatcher as IDisposable)?.Dispose();
        if (_storage is not null)
        {
            // Flush, and close the driver whatever the flush did: its locks and timers must not outlive the store.
            _pipeline.RunExclusive(() =>
            {
                try
                {
                    _storage.Flush();
                }
                catch (Exception ex)
                {
                    failure ??= ex;
                    Log.FinalFlushFailed(_logger, ex);
                }
                finally
                {
                    _storage.Dispose();
                }
            });
        }

        if (Options.Journal is { } journal)
        {
            try
            {
                journal.Dispose();
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }

        Log.ShutDown(_logger, _dispatcher.DeliveredCount);
        if (failure is null)
        {
            shutdown.TrySetResult();
        }
        else
        {
            shutdown.TrySetException(failure);
        }
    }

    private void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(StateStore), "The store has been shut down; it accepts no more writes or subscriptions.");
        }
    }

    /// <summary>Loads every entry from storage into the table (no events): values stay JSON until a reader asks for a type.
    /// An entry storage could not read takes its key's place and throws, naming the file or row, when read.</summary>
    private void Load(IStateStorage storage)
    {
        long start = Stopwatch.GetTimestamp();
        int count = 0;
        foreach (KeyValuePair<string, StoredEntry> item in storage.ReadAll())
        {
            StatePath path = _keys.Parse(item.Key);
            StateEntry entry;
            if (item.Value.Corruption is { } corruption)
            {
                entry = new CorruptStateEntry(corruption, item.Value.Metadata);
                Log.CorruptEntryLoaded(_logger, corruption, path.ToString());
            }
            else
            {
                JsonElement value = JsonDocument.Parse(item.Value.ValueJson).RootElement.Clone();
                entry = new StateEntry<JsonElement>(value, item.Value.Metadata);
                if (item.Value.Metadata.ExpiresAt is { } expiresAt)
                {
                    _expiry.Schedule(path, expiresAt);
                }
            }

            _table.Load(path, entry);
            count++;
        }

        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Log.Loaded(_logger, count, milliseconds);
    }

    /// <summary>The expiry timer fired (on a timer thread): delete what is due, through the pipeline like any write.</summary>
    private void OnExpiryTimer()
    {
        if (IsDisposed)
        {
            return;
        }

        List<KeyValuePair<StatePath, DateTimeOffset>> due = _expiry.TakeDue(_timeProvider.GetUtcNow());
        if (due.Count == 0)
        {
            _expiry.Rearm();
            return;
        }

        // On the timer's thread (never inside the engine lock): commit like any write, then deliver (inline dispatch).
        var operation = new DelegateOperation<(WriteApplier Applier, List<KeyValuePair<StatePath, DateTimeOffset>> Due)>(
            (_applier, due),
            static (state, commit) => state.Applier.ExpireDue(commit, state.Due),
            portable: true);
        Exception? failure = null;
        try
        {
            _pipeline.Execute(ref operation);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        AfterExpiry(failure, due);
    }

    private void AfterExpiry(Exception? failure, List<KeyValuePair<StatePath, DateTimeOffset>> due)
    {
        if (failure is null)
        {
            Volatile.Write(ref _expiryFailures, 0);
            _expiry.Rearm();
            if (!DeferredWrites.MustDefer)
            {
                _dispatcher.AfterCommit();
            }

            return;
        }

        if (failure is ObjectDisposedException || IsDisposed)
        {
            return;
        }

        // Storage refused the deletes (disk full, a locked database): keep every schedule and retry with backoff, so an
        // expiry is never lost and a failing timer never takes the process down.
        int failures = Interlocked.Increment(ref _expiryFailures);
        TimeSpan delay = TimeSpan.FromMilliseconds(Math.Min(60_000, 100 * Math.Pow(2, Math.Min(failures, 10))));
        Log.ExpiryFailed(_logger, failure, due.Count, delay);
        _expiry.Retry(due, _timeProvider.GetUtcNow() + delay);
    }
}
