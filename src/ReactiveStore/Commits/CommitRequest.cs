using System.Runtime.ExceptionServices;

namespace ReactiveStore;

/// <summary>A write operation staged inside a <see cref="Commit"/>: the unit the <see cref="CommitPipeline"/> runs.</summary>
/// <remarks>Implemented by small mutable structs (passed by reference, so a write allocates no operation object); the
/// operation keeps its own result fields.</remarks>
internal interface ICommitOperation
{
    /// <summary>Gets whether another thread leading the commit may stage this operation (it runs no code that belongs to
    /// the caller's thread). Batches with a delegate are bound to their thread; plain writes are portable.</summary>
    bool IsPortable { get; }

    /// <summary>Gets or sets why the operation's changes are committed (recorded in the change log).</summary>
    ChangeCause Cause { get; set; }

    /// <summary>Stages the operation; throws to fail it (the pipeline rolls back what it staged).</summary>
    void Stage(Commit commit);
}

/// <summary>An operation queued for the <see cref="CommitPipeline"/> because another thread was committing.</summary>
internal abstract class CommitRequest
{
    public const int Queued = 0;
    public const int Taken = 1;
    public const int Done = 2;
    public const int Promoted = 3;
    public const int Cancelled = 4;

    /// <summary>Gets or sets where the request is; changed under the pipeline's queue lock (or by a compare-and-set for cancellation).</summary>
    public int State;

    /// <summary>Gets or sets why the request failed, if it did.</summary>
    public ExceptionDispatchInfo? Failure;

    /// <summary>Gets whether only its own (waiting) thread may stage it: the pipeline promotes that thread to lead instead.</summary>
    public virtual bool IsThreadBound => false;

    /// <summary>Gets whether the request asks for the storage to be flushed once the group's writes are persisted.</summary>
    public virtual bool IsFlush => false;

    /// <summary>Gets whether a thread is blocked waiting for this request (otherwise the pipeline completes it asynchronously).</summary>
    public virtual bool HasWaitingThread => true;

    /// <summary>Stages the request's operation (portable requests only).</summary>
    public virtual void Stage(Commit commit) => throw new InvalidOperationException("A thread-bound request is staged by its own thread.");

    /// <summary>Called once the request is done (successfully or not), outside every lock.</summary>
    public virtual void OnCompleted()
    {
    }
}

/// <summary>A portable operation of a thread that waits for it (a synchronous write while another thread was committing).</summary>
internal sealed class SyncRequest<TOp>(TOp operation) : CommitRequest
    where TOp : struct, ICommitOperation
{
    public TOp Operation = operation;

    public override void Stage(Commit commit) => Operation.Stage(commit);
}

/// <summary>A place in the queue for a thread that will stage its own operation when its turn comes.</summary>
internal sealed class TurnTicket : CommitRequest
{
    public override bool IsThreadBound => true;
}

/// <summary>An operation whose caller awaits it (<c>SetAsync</c> and friends); completed on the thread pool.</summary>
internal sealed class AsyncRequest<TOp> : CommitRequest
    where TOp : struct, ICommitOperation
{
    private readonly TaskCompletionSource<TOp> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ExecutionContext? _context;
    private CancellationTokenRegistration _cancellation;
    private TOp _operation;
    private Commit? _stagingCommit;

    public AsyncRequest(TOp operation, bool captureContext)
    {
        _operation = operation;
        _context = captureContext ? ExecutionContext.Capture() : null;
    }

    public Task<TOp> Task => _completion.Task;

    public override bool HasWaitingThread => false;

    /// <summary>Cancels the request if it is still queued when <paramref name="cancellationToken"/> fires.</summary>
    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var request = (AsyncRequest<TOp>)state!;
                    if (Interlocked.CompareExchange(ref request.State, Cancelled, Queued) == Queued)
                    {
                        request._completion.TrySetCanceled(token);
                    }
                },
                this);
        }
    }

    public override void Stage(Commit commit)
    {
        if (_context is null)
        {
            _operation.Stage(commit);
            return;
        }

        // A batch delegate runs with its caller's execution context (logging scopes, activities, async locals).
        _stagingCommit = commit;
        try
        {
            ExecutionContext.Run(
                _context,
                static state =>
                {
                    var request = (AsyncRequest<TOp>)state!;
                    request._operation.Stage(request._stagingCommit!);
                },
                this);
        }
        finally
        {
            _stagingCommit = null;
        }
    }

    public override void OnCompleted()
    {
        _cancellation.Dispose();
        if (Failure is { } failure)
        {
            _completion.TrySetException(failure.SourceException);
        }
        else
        {
            _completion.TrySetResult(_operation);
        }
    }
}

/// <summary>Asks the pipeline to flush the storage after the writes queued before it are persisted (<c>FlushAsync</c>).</summary>
internal sealed class FlushRequest : CommitRequest
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _completion.Task;

    public override bool IsFlush => true;

    public override bool HasWaitingThread => false;

    public override void Stage(Commit commit)
    {
    }

    public override void OnCompleted()
    {
        if (Failure is { } failure)
        {
            _completion.TrySetException(failure.SourceException);
        }
        else
        {
            _completion.TrySetResult();
        }
    }
}
