using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ReactiveStore.Signals;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>One store's commit pipeline: writes to the store commit one group at a time, in one order, with storage I/O
/// outside every lock that readers, other stores or the signal engine need.</summary>
/// <remarks>
/// <para><b>The turn.</b> Exactly one thread at a time leads: it stages a group of operations in the store's
/// <see cref="Commit"/>, persists the group's storage writes in one driver call (group commit: one transaction, one fsync),
/// publishes the group, then hands the turn to the oldest waiting operation. Nothing becomes visible before storage
/// accepted it; a driver failure fails exactly the operations of that group.</para>
/// <para><b>Who leads.</b> A writer that finds the pipeline idle leads at once on its own thread (no allocation). A writer
/// that finds it busy queues: a plain write queues its operation (the current leader stages it in its next group); an
/// operation bound to its thread (a batch delegate) queues a ticket and is promoted to lead when the ticket reaches the
/// head. Asynchronous writes queue and are led by a thread-pool thread when nobody else is leading, so they never block
/// their caller on I/O.</para>
/// <para><b>Lock order.</b> Turn, then engine lock (only to publish when computations read the store, and to run the
/// effects it triggered), then the table's structure lock. Threads holding the engine lock or another store's turn never
/// wait for a turn: their writes go through <see cref="DeferredWrites"/>.</para>
/// </remarks>
internal sealed class CommitPipeline
{
    private const int Idle = 0;
    private const int Leading = 1;
    private const int HasQueue = 2;
    private const int MaxGroupSize = 1024;

    private readonly object _queueLock = new();
    private readonly Queue<CommitRequest> _queue = new();
    private readonly Commit _commit;
    private readonly CommitPublisher _publisher;
    private readonly PathSignals _signals;
    private readonly IStateStorage? _storage;
    private readonly ChangeLog _changeLog;
    private int _state;
    private int _stagingThread;
    private bool _closed;

    public CommitPipeline(EntryTable table, CommitPublisher publisher, PathSignals signals, IStateStorage? storage, ChangeLog changeLog)
    {
        _changeLog = changeLog;
        _commit = new Commit(table);
        _publisher = publisher;
        _signals = signals;
        _storage = storage;
    }

    /// <summary>Gets whether the current thread is staging a commit of this store (a batch delegate, a write-path service).</summary>
    public bool IsStagingOnCurrentThread => Volatile.Read(ref _stagingThread) == Environment.CurrentManagedThreadId;

    /// <summary>Gets the commit being staged on the current thread (valid while <see cref="IsStagingOnCurrentThread"/>).</summary>
    public Commit CurrentCommit
    {
        get
        {
            Debug.Assert(IsStagingOnCurrentThread, "Only the staging thread sees the open commit.");
            return _commit;
        }
    }

    /// <summary>Gets whether the pipeline accepts no more operations.</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Commits <paramref name="operation"/> and returns once it is durable and visible (or throws why it failed).</summary>
    /// <remarks>Inside a commit being staged on this thread (a batch), the operation joins that commit instead.</remarks>
    public void Execute<TOp>(ref TOp operation)
        where TOp : struct, ICommitOperation
    {
        if (IsStagingOnCurrentThread)
        {
            StageNested(ref operation);
            return;
        }

        if (Interlocked.CompareExchange(ref _state, Leading, Idle) != Idle)
        {
            if (operation.IsPortable)
            {
                ExecuteQueued(ref operation);
                return;
            }

            WaitForTurn();
        }
        else if (Volatile.Read(ref _closed))
        {
            ReleaseTurn();
            throw Closed();
        }

        RunGroup(ref operation, null)?.Throw();
    }

    /// <summary>Commits <paramref name="operation"/> at once if that needs no waiting (the pipeline is idle), staging
    /// nothing else with it; otherwise returns <see langword="false"/> and does nothing.</summary>
    /// <remarks>For threads that must never wait for a turn (inside the engine lock, or staging another store): the
    /// caller makes sure the operation persists nothing, so no I/O runs either.</remarks>
    public bool TryExecuteNow<TOp>(ref TOp operation)
        where TOp : struct, ICommitOperation
    {
        if (IsStagingOnCurrentThread)
        {
            StageNested(ref operation);
            return true;
        }

        if (Interlocked.CompareExchange(ref _state, Leading, Idle) != Idle)
        {
            return false;
        }

        if (Volatile.Read(ref _closed))
        {
            ReleaseTurn();
            throw Closed();
        }

        RunGroup(ref operation, null, takeQueued: false)?.Throw();
        return true;
    }

    /// <summary>Commits <paramref name="operation"/> without blocking the caller on storage I/O.</summary>
    public Task<TOp> ExecuteAsync<TOp>(TOp operation, bool captureContext, CancellationToken cancellationToken)
        where TOp : struct, ICommitOperation
    {
        if (IsStagingOnCurrentThread)
        {
            // Inside a batch on this thread: joins it, like the synchronous form.
            StageNested(ref operation);
            return Task.FromResult(operation);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_storage is null && Interlocked.CompareExchange(ref _state, Leading, Idle) == Idle)
        {
            // Nothing to wait for on I/O: commit on this thread.
            if (Volatile.Read(ref _closed))
            {
                ReleaseTurn();
                throw Closed();
            }

            ExceptionDispatchInfo? failure = RunGroup(ref operation, null);
            return failure is null ? Task.FromResult(operation) : Task.FromException<TOp>(failure.SourceException);
        }

        var request = new AsyncRequest<TOp>(operation, captureContext);
        request.RegisterCancellation(cancellationToken);
        Submit(request, leadFromPool: true);
        return request.Task;
    }

    /// <summary>Returns once every write queued before the call is persisted and the storage flushed.</summary>
    public Task FlushAsync()
    {
        if (_storage is null)
        {
            return Task.CompletedTask;
        }

        if (IsStagingOnCurrentThread)
        {
            throw new InvalidOperationException("FlushAsync cannot wait inside a batch of the same store: the batch's own commit would wait for itself.");
        }

        var request = new FlushRequest();
        Submit(request, leadFromPool: true);
        return request.Task;
    }

    /// <summary>Stops accepting operations: queued ones fail with <see cref="ObjectDisposedException"/>; the group in
    /// flight completes. Returns once no group is in flight (unless called from the staging thread itself).</summary>
    public void Close()
    {
        List<CommitRequest>? rejected = null;
        lock (_queueLock)
        {
            if (_closed)
            {
                return;
            }

            Volatile.Write(ref _closed, true);
            while (_queue.TryDequeue(out CommitRequest? request))
            {
                if (request.State == CommitRequest.Cancelled)
                {
                    continue;
                }

                request.Failure = ExceptionDispatchInfo.Capture(Closed());
                request.State = CommitRequest.Done;
                (rejected ??= []).Add(request);
            }

            if ((_state & HasQueue) != 0)
            {
                _state &= ~HasQueue;
            }

            Monitor.PulseAll(_queueLock);
        }

        if (rejected is not null)
        {
            foreach (CommitRequest request in rejected)
            {
                request.OnCompleted();
            }
        }

        if (IsStagingOnCurrentThread)
        {
            return;
        }

        // Wait for the group in flight (its writes are acknowledged when it completes).
        SpinWait spinner = default;
        while (Volatile.Read(ref _state) != Idle)
        {
            spinner.SpinOnce();
        }
    }

    /// <summary>Runs <paramref name="action"/> while holding the turn, with no commit open (storage maintenance at shutdown).</summary>
    public void RunExclusive(Action action)
    {
        if (IsStagingOnCurrentThread)
        {
            action();
            return;
        }

        if (Volatile.Read(ref _closed))
        {
            // Closed: nothing queues any more, so the turn frees up as soon as the last group (or a writer that found
            // the pipeline closed) lets go of it.
            SpinWait spinner = default;
            while (Interlocked.CompareExchange(ref _state, Leading, Idle) != Idle)
            {
                spinner.SpinOnce();
            }
        }
        else if (Interlocked.CompareExchange(ref _state, Leading, Idle) != Idle)
        {
            WaitForTurn();
        }

        try
        {
            action();
        }
        finally
        {
            ReleaseTurn();
        }
    }

    private static ObjectDisposedException Closed() =>
        new(nameof(StateStore), "The store has been shut down; it accepts no more writes.");

    private void StageNested<TOp>(ref TOp operation)
        where TOp : struct, ICommitOperation
    {
        Commit.Savepoint savepoint = _commit.Mark();
        try
        {
            operation.Stage(_commit);
        }
        catch
        {
            _commit.RollbackTo(savepoint);
            throw;
        }
    }

    /// <summary>A portable operation while another thread leads: queue it and wait until it is done, or until this
    /// thread is promoted to lead (then it leads a group starting with it).</summary>
    private void ExecuteQueued<TOp>(ref TOp operation)
        where TOp : struct, ICommitOperation
    {
        var request = new SyncRequest<TOp>(operation);
        if (Submit(request, leadFromPool: false))
        {
            // The pipeline went idle meanwhile: lead with it.
            RunGroup(ref request.Operation, null)?.Throw();
            operation = request.Operation;
            return;
        }

        lock (_queueLock)
        {
            while (request.State is not (CommitRequest.Done or CommitRequest.Promoted))
            {
                Monitor.Wait(_queueLock);
            }
        }

        if (request.State == CommitRequest.Promoted)
        {
            RunGroup(ref request.Operation, null)?.Throw();
        }
        else
        {
            request.Failure?.Throw();
        }

        operation = request.Operation;
    }

    /// <summary>Waits with a ticket until this thread holds the turn.</summary>
    private void WaitForTurn()
    {
        var ticket = new TurnTicket();
        if (Submit(ticket, leadFromPool: false))
        {
            return;
        }

        lock (_queueLock)
        {
            while (ticket.State is not (CommitRequest.Done or CommitRequest.Promoted))
            {
                Monitor.Wait(_queueLock);
            }
        }

        ticket.Failure?.Throw();
    }

    /// <summary>Queues a request, or takes the turn if the pipeline is idle (returns <see langword="true"/>: the caller leads,
    /// and the request is not queued).</summary>
    private bool Submit(CommitRequest request, bool leadFromPool)
    {
        lock (_queueLock)
        {
            if (_closed)
            {
                throw Closed();
            }

            while (true)
            {
                int state = _state;
                if (state == Idle)
                {
                    if (Interlocked.CompareExchange(ref _state, Leading, Idle) == Idle)
                    {
                        break;
                    }

                    continue;
                }

                if (Interlocked.CompareExchange(ref _state, state | HasQueue, state) == state)
                {
                    _queue.Enqueue(request);
                    return false;
                }
            }
        }

        if (!leadFromPool)
        {
            return true;
        }

        // Nobody leads and the caller must not block: a pool thread leads a group starting with this request.
        if (Interlocked.CompareExchange(ref request.State, CommitRequest.Taken, CommitRequest.Queued) != CommitRequest.Queued)
        {
            ReleaseTurn(); // cancelled before it was taken: nothing to commit
            return false;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => state.pipeline.RunPooledGroup(state.request), (pipeline: this, request), preferLocal: false);
        return false;
    }

    private void RunPooledGroup(CommitRequest first)
    {
        var none = default(NoOperation);
        RunGroup(ref none, first);
    }

    /// <summary>Leads one group: the own operation (or <paramref name="first"/>), then queued portable requests; persists,
    /// publishes, hands the turn on, runs the engine's effects, and completes the members. The caller holds the turn.</summary>
    /// <returns>The own operation's failure, or <see langword="null"/>.</returns>
    private ExceptionDispatchInfo? RunGroup<TOp>(ref TOp operation, CommitRequest? first, bool takeQueued = true)
        where TOp : struct, ICommitOperation
    {
        bool hasOwn = first is null;

        // A list of its own per group: the next leader starts while this one still completes its members.
        var members = new GroupMembers(first);
        ExceptionDispatchInfo? ownFailure = null;
        bool ownStaged = false;
        bool flush = false;

        _commit.Open(_publisher.Version);
        Volatile.Write(ref _stagingThread, Environment.CurrentManagedThreadId);
        DeferredWrites.EnterTurn();
        try
        {
            if (hasOwn)
            {
                Commit.Savepoint savepoint = _commit.Mark();
                try
                {
                    operation.Stage(_commit);
                    ownStaged = true;
                }
                catch (Exception ex)
                {
                    _commit.RollbackTo(savepoint);
                    ownFailure = ExceptionDispatchInfo.Capture(ex);
                }
            }
            else
            {
                flush |= StageMember(first!);
            }

            int staged = members.Count;
            if (takeQueued)
            {
                TakeQueued(ref members);
            }

            for (int i = staged; i < members.Count; i++)
            {
                flush |= StageMember(members[i]);
            }
        }
        finally
        {
            DeferredWrites.ExitTurn();
            Volatile.Write(ref _stagingThread, 0);
        }

        // Persist: one driver call for the whole group, outside every lock but the turn; the journal first, taken back
        // if storage refuses the group. A driver that keeps the change log gets the group's changes in the same call.
        bool logged = _changeLog.RecordsBeforePersisting && _commit.Events.Count > 0;
        bool persists = _storage is not null && (_commit.StorageWrites.Count > 0 || flush || (logged && _changeLog.Durable is not null));
        if (persists || logged)
        {
            long journalMark = -1;
            try
            {
                List<ChangeRecord>? records = logged ? _changeLog.BuildRecords(_commit) : null;
                if (records is not null)
                {
                    journalMark = _changeLog.AppendToJournal(records);
                }

                if (records is not null && _changeLog.Durable is { } durable)
                {
                    durable.Write(_commit.StorageWrites, records);
                }
                else if (_commit.StorageWrites.Count > 0)
                {
                    _storage!.Write(_commit.StorageWrites);
                }

                if (flush)
                {
                    _storage!.Flush();
                }

                if (records is not null)
                {
                    _changeLog.TrimDurableIfDue(_commit.Version);
                }
            }
            catch (Exception ex)
            {
                _commit.Abort();
                ExceptionDispatchInfo failure = ExceptionDispatchInfo.Capture(ex);
                try
                {
                    _changeLog.TakeBackJournal(journalMark);
                }
                catch (Exception journalFailure)
                {
                    failure = ExceptionDispatchInfo.Capture(new AggregateException(
                        "Storage refused the group, and taking its changes back out of the journal failed too; the journal may hold changes that did not commit (they are dropped when the store next opens).",
                        ex,
                        journalFailure));
                }

                if (ownStaged)
                {
                    ownFailure = failure;
                }

                foreach (CommitRequest member in members)
                {
                    member.Failure ??= failure;
                }

                _commit.Close();
                ReleaseTurn();
                Complete(members);
                DeferredWrites.DrainIfFree();
                return ownFailure;
            }
        }

        // Publish: values, version, events, expiry; with the engine lock when computations read this store, so the
        // path-signal bumps land with the values and the effects they trigger run once for the whole group.
        bool engine = _signals.IsActive && !_commit.IsEmpty;
        bool taken = false;
        if (engine)
        {
            taken = SignalGraph.Enter();
            SignalGraph.BeginBatch();
        }

        try
        {
            if (!_commit.IsEmpty)
            {
                _publisher.Publish(_commit);
            }

            _commit.Close();
            ReleaseTurn();
            if (engine || _signals.IsActive)
            {
                if (!engine)
                {
                    // The store became active while this group published: bump what it recorded.
                    taken = SignalGraph.Enter();
                    SignalGraph.BeginBatch();
                    engine = true;
                }

                _signals.DrainPending();
            }
        }
        finally
        {
            if (engine)
            {
                try
                {
                    SignalGraph.EndBatch(); // the effects this group triggered run here, once
                }
                finally
                {
                    if (taken)
                    {
                        SignalGraph.Exit(); // writes those effects made run now (deferred writes)
                    }
                }
            }
        }

        Complete(members);
        DeferredWrites.DrainIfFree();
        return ownFailure;
    }

    /// <summary>Stages one queued request under its own savepoint; returns whether it asks for a storage flush.</summary>
    private bool StageMember(CommitRequest request)
    {
        Commit.Savepoint savepoint = _commit.Mark();
        try
        {
            request.Stage(_commit);
        }
        catch (Exception ex)
        {
            _commit.RollbackTo(savepoint);
            request.Failure = ExceptionDispatchInfo.Capture(ex);
        }

        return request.IsFlush;
    }

    /// <summary>Moves queued portable requests into the group, up to a thread-bound one (whose thread leads next).</summary>
    private void TakeQueued(ref GroupMembers members)
    {
        if ((Volatile.Read(ref _state) & HasQueue) == 0)
        {
            return;
        }

        lock (_queueLock)
        {
            while (members.Count < MaxGroupSize && _queue.TryPeek(out CommitRequest? next))
            {
                if (next.IsThreadBound)
                {
                    break; // its own thread stages it: it leads next
                }

                _queue.Dequeue();
                if (next.State == CommitRequest.Cancelled)
                {
                    continue;
                }

                if (next.HasWaitingThread)
                {
                    next.State = CommitRequest.Taken;
                }
                else if (Interlocked.CompareExchange(ref next.State, CommitRequest.Taken, CommitRequest.Queued) != CommitRequest.Queued)
                {
                    continue; // cancelled meanwhile
                }

                members.Add(next);
            }

            if (_queue.Count == 0)
            {
                _state &= ~HasQueue;
            }
        }
    }

    /// <summary>Gives the turn to the oldest queued request (its thread, or a pool thread), or leaves the pipeline idle.</summary>
    private void ReleaseTurn()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Leading) == Leading)
        {
            return;
        }

        CommitRequest? next = null;
        lock (_queueLock)
        {
            while (_queue.TryDequeue(out CommitRequest? candidate))
            {
                if (candidate.State == CommitRequest.Cancelled)
                {
                    continue;
                }

                if (!candidate.HasWaitingThread && Interlocked.CompareExchange(ref candidate.State, CommitRequest.Taken, CommitRequest.Queued) != CommitRequest.Queued)
                {
                    continue;
                }

                next = candidate;
                break;
            }

            if (_queue.Count == 0)
            {
                _state &= ~HasQueue;
            }

            if (next is null)
            {
                Volatile.Write(ref _state, Idle);
                return;
            }

            if (next.HasWaitingThread)
            {
                next.State = CommitRequest.Promoted;
                Monitor.PulseAll(_queueLock);
                return;
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => state.pipeline.RunPooledGroup(state.next), (pipeline: this, next), preferLocal: false);
    }

    /// <summary>Marks the members done and wakes their threads; completes asynchronous ones outside the lock.</summary>
    private void Complete(GroupMembers members)
    {
        if (members.Count == 0)
        {
            return;
        }

        bool anyWaiting = false;
        lock (_queueLock)
        {
            foreach (CommitRequest member in members)
            {
                member.State = CommitRequest.Done;
                anyWaiting |= member.HasWaitingThread;
            }

            if (anyWaiting)
            {
                Monitor.PulseAll(_queueLock);
            }
        }

        foreach (CommitRequest member in members)
        {
            if (!member.HasWaitingThread)
            {
                member.OnCompleted();
            }
        }
    }

    /// <summary>The queued requests of one group (usually none, then nothing is allocated).</summary>
    private struct GroupMembers(CommitRequest? first)
    {
        private List<CommitRequest>? _list = first is null ? null : [first];

        public readonly int Count => _list?.Count ?? 0;

        public readonly CommitRequest this[int index] => _list![index];

        public void Add(CommitRequest request) => (_list ??= []).Add(request);

        public readonly List<CommitRequest>.Enumerator GetEnumerator() => (_list ?? s_empty).GetEnumerator();

        private static readonly List<CommitRequest> s_empty = [];
    }

    /// <summary>The operation of a group led on behalf of a queued request (nothing of its own to stage).</summary>
    private struct NoOperation : ICommitOperation
    {
        public readonly bool IsPortable => true;

        public ChangeCause Cause { readonly get => ChangeCause.Write; set { } }

        public readonly void Stage(Commit commit)
        {
        }
    }
}
