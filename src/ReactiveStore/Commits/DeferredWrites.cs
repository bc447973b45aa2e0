using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>Writes made by a thread that must not wait for a store's commit turn: a thread inside the signal engine (an
/// effect, a <c>Track</c> callback, a computed, <c>Signals.Batch</c>) or one staging another store's commit (a batch
/// delegate writing to a second store). They are queued on the thread and committed, in order, as soon as it holds
/// neither, before the outermost call that made them returns.</summary>
/// <remarks>
/// Why: a commit takes a store's turn and then, to publish, the engine lock. A thread that holds the engine lock (or
/// another turn) and waited for a turn could close a cycle with a committer waiting for the engine lock; and a durable
/// write must never run its storage I/O while the engine lock, which every signal in the process needs, is held.
/// Queuing those writes keeps the lock order one way (turn, then engine, then table) and keeps I/O off the engine lock.
/// </remarks>
internal static class DeferredWrites
{
    [ThreadStatic]
    private static Queue<DeferredWrite>? t_queue;

    [ThreadStatic]
    private static int t_turnsHeld;

    [ThreadStatic]
    private static bool t_draining;

    [ThreadStatic]
    private static bool t_drainScheduled;

    [ThreadStatic]
    private static bool t_runningEffectWrite;

    /// <summary>Gets whether a write to a store whose turn this thread does not hold must be queued.</summary>
    public static bool MustDefer => SignalGraph.IsHeldByCurrentThread || t_turnsHeld != 0;

    /// <summary>Gets whether writes queued on this thread wait to be committed (later writes must queue behind them).</summary>
    public static bool HasPending => t_queue is { Count: > 0 };

    /// <summary>Gets why a write made on this thread now is committed: by an effect (inside the engine lock, or queued from
    /// there), or by application code.</summary>
    public static ChangeCause CauseOnThisThread =>
        SignalGraph.IsHeldByCurrentThread || t_runningEffectWrite ? ChangeCause.Effect : ChangeCause.Write;

    /// <summary>Gets whether this thread is staging a commit of some store.</summary>
    public static bool HoldsTurn => t_turnsHeld != 0;

    /// <summary>Records that this thread started staging a commit (it holds that store's turn).</summary>
    public static void EnterTurn() => t_turnsHeld++;

    /// <summary>Records that this thread finished staging a commit.</summary>
    public static void ExitTurn() => t_turnsHeld--;

    /// <summary>Queues <paramref name="write"/> on this thread; it runs once the thread holds no turn and not the engine lock.</summary>
    public static void Defer(DeferredWrite write)
    {
        (t_queue ??= new Queue<DeferredWrite>()).Enqueue(write);
        if (SignalGraph.IsHeldByCurrentThread && !t_drainScheduled)
        {
            t_drainScheduled = true;
            SignalGraph.RunAfterExit(static _ => DrainIfFree(), null);
        }
    }

    /// <summary>Runs the queued writes if this thread is free to wait for turns; otherwise leaves them queued.</summary>
    public static void DrainIfFree()
    {
        t_drainScheduled = false;
        Queue<DeferredWrite>? queue = t_queue;
        if (queue is null || queue.Count == 0 || t_draining || MustDefer)
        {
            return;
        }

        t_draining = true;
        try
        {
            while (queue.Count > 0)
            {
                DeferredWrite write = queue.Dequeue();
                bool outer = t_runningEffectWrite;
                t_runningEffectWrite = write.FromEngine;
                try
                {
                    write.Run();
                }
                catch (Exception ex)
                {
                    write.Store.ReportDeferredWriteFailure(write, ex);
                }
                finally
                {
                    t_runningEffectWrite = outer;
                }

                if (MustDefer)
                {
                    // A write's own effects took the engine lock again and queued more; they drain on that exit.
                    return;
                }
            }
        }
        finally
        {
            t_draining = false;
        }
    }
}

/// <summary>A write queued by <see cref="DeferredWrites"/>.</summary>
internal abstract class DeferredWrite(StateStore store, string description)
{
    public StateStore Store { get; } = store;

    /// <summary>Gets whether the write was made inside the signal engine (an effect): it is recorded as one.</summary>
    public bool FromEngine { get; } = SignalGraph.IsHeldByCurrentThread;

    /// <summary>Gets what the write was, for the error report when it fails.</summary>
    public string Description { get; } = description;

    public abstract void Run();
}

/// <summary>A queued write given as a delegate over a state, so simple writes need no dedicated type.</summary>
internal sealed class DeferredWrite<TState>(StateStore store, string description, TState state, Action<StateStore, TState> run)
    : DeferredWrite(store, description)
{
    public override void Run() => run(Store, state);
}
