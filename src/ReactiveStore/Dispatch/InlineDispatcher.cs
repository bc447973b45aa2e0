using Microsoft.Extensions.Logging;

namespace ReactiveStore;

/// <summary>Delivers events on the writing thread before the write returns, still in commit order across threads.</summary>
/// <remarks>
/// Committed events go into a queue (under the store's write lock, so in commit order). After its commit a writer
/// becomes the drainer, or waits until the current drainer has delivered its event. A write made from inside a
/// callback is queued and delivered by the same drainer right after the current event, so every subscriber still
/// sees versions in increasing order. Callbacks that throw are logged and dead-lettered at once: inline dispatch does
/// not retry, and it has no watchdog (a callback that hangs holds up its writer).
/// </remarks>
internal sealed class InlineDispatcher : EventDispatcher
{
    private readonly object _gate = new();
    private readonly Queue<StateEvent> _queue = new();
    private readonly DeliveryCursor _cursor = new();
    private int _drainerThread;
    private int _waiters;

    public InlineDispatcher(SubscriptionIndex index, DeadLetterCollection deadLetters, ILogger logger, TimeProvider timeProvider, SynchronizationContext? defaultContext)
        : base(index, deadLetters, logger, timeProvider, defaultContext)
    {
    }

    public override bool IsDispatchingOnCurrentThread => Volatile.Read(ref _drainerThread) == Environment.CurrentManagedThreadId;

    public override void AfterCommit()
    {
        if (DeliveredCount >= EnqueuedCount)
        {
            return; // nothing queued (nobody subscribed to what was written): no lock
        }

        int me = Environment.CurrentManagedThreadId;
        StateEvent? first;
        lock (_gate)
        {
            if (_drainerThread == me)
            {
                // A write from inside a callback: the running drain loop delivers it right after the current event.
                return;
            }

            long target = EnqueuedCount;
            while (_drainerThread != 0 && DeliveredCount < target)
            {
                _waiters++;
                Monitor.Wait(_gate);
                _waiters--;
            }

            if (DeliveredCount >= target)
            {
                return;
            }

            _drainerThread = me;
            if (!TryTakeNext(out first))
            {
                return;
            }
        }

        Drain(first);
    }

    public override Task CompleteAsync()
    {
        StateEvent pending;
        lock (_gate)
        {
            if (_drainerThread != 0 && _drainerThread != Environment.CurrentManagedThreadId)
            {
                while (_drainerThread != 0)
                {
                    _waiters++;
                    Monitor.Wait(_gate);
                    _waiters--;
                }
            }

            if (_drainerThread != 0)
            {
                // Shut down from inside a callback: the running drain loop delivers the rest.
                ReleaseAllWaiters();
                return Task.CompletedTask;
            }

            _drainerThread = Environment.CurrentManagedThreadId;
            if (!TryTakeNext(out StateEvent? first))
            {
                ReleaseAllWaiters();
                return Task.CompletedTask;
            }

            pending = first;
        }

        Drain(pending);
        ReleaseAllWaiters();
        return Task.CompletedTask;
    }

    protected override void EnqueueCore(StateEvent stateEvent)
    {
        lock (_gate)
        {
            _queue.Enqueue(stateEvent);
        }
    }

    /// <summary>Delivers <paramref name="next"/> (already taken under the gate) and every event queued after it, then gives up
    /// the drainer role.</summary>
    private void Drain(StateEvent next)
    {
        try
        {
            while (true)
            {
                Deliver(next);
                lock (_gate)
                {
                    MarkDelivered();
                    if (_waiters != 0)
                    {
                        Monitor.PulseAll(_gate);
                    }

                    if (!TryTakeNext(out StateEvent? following))
                    {
                        return;
                    }

                    next = following;
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                _drainerThread = 0;
                Monitor.PulseAll(_gate);
            }

            throw;
        }
    }

    /// <summary>Takes the next queued event, or gives up the drainer role; the caller holds <see cref="_gate"/>.</summary>
    private bool TryTakeNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StateEvent? next)
    {
        if (_queue.TryDequeue(out next))
        {
            return true;
        }

        _drainerThread = 0;
        if (_waiters != 0)
        {
            Monitor.PulseAll(_gate);
        }

        return false;
    }

    private void Deliver(StateEvent stateEvent)
    {
        _cursor.Begin(stateEvent, Index);
        while (_cursor.TryNext(out Subscription subscription, out StateEvent delivered))
        {
            try
            {
                SynchronizationContext? context = subscription.IsDirect ? null : ContextFor(subscription);
                if (context is null)
                {
                    // The active check is the last thing before the callback (Subscription.Dispose contract).
                    subscription.InvokeIfActive(delivered);
                }
                else
                {
                    ContextInvocation.Send(context, subscription, delivered);
                }
            }
            catch (Exception ex)
            {
                if (subscription.IsActive)
                {
                    ReportFailedAttempt(subscription, delivered, ex, 1, 1);
                }
            }
        }

        _cursor.End();
    }
}
