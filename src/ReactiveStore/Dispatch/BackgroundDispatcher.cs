using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ReactiveStore;

/// <summary>Delivers events on one background worker, sequentially and in commit order, with retries,
/// dead letters and a watchdog that moves on from a callback that hangs.</summary>
/// <remarks>
/// The worker owns a <see cref="DeliveryCursor"/>. When a callback runs longer than the callback timeout, the watchdog
/// dead-letters that delivery, marks the subscription busy, bumps the worker generation and starts a new worker that
/// resumes from the same cursor. The abandoned worker notices the new generation when its callback finally returns and
/// exits without touching the cursor; until then its subscription's events are dead-lettered rather than delivered
/// concurrently, so every subscriber still sees one callback at a time.
/// </remarks>
internal sealed class BackgroundDispatcher : EventDispatcher, IDisposable
{
    [ThreadStatic]
    private static BackgroundDispatcher? t_dispatching;

    private readonly Channel<StateEvent> _queue = Channel.CreateUnbounded<StateEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly DeliveryCursor _cursor = new();
    private readonly RetryPolicy _retryPolicy;
    private readonly TimeSpan _callbackTimeout;
    private readonly Lock _baton = new();
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer? _watchdog;
    private int _generation;
    private Subscription? _running;
    private StateEvent? _runningEvent;
    private int _runningAttempt;
    private long _runningSince;
    private int _started;

    public BackgroundDispatcher(
        SubscriptionIndex index,
        DeadLetterCollection deadLetters,
        ILogger logger,
        TimeProvider timeProvider,
        SynchronizationContext? defaultContext,
        RetryPolicy retryPolicy,
        TimeSpan callbackTimeout)
        : base(index, deadLetters, logger, timeProvider, defaultContext)
    {
        _retryPolicy = retryPolicy;
        _callbackTimeout = callbackTimeout;
        if (callbackTimeout != Timeout.InfiniteTimeSpan)
        {
            TimeSpan period = TimeSpan.FromTicks(Math.Clamp(callbackTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 5, TimeSpan.TicksPerSecond));

            // The watchdog measures real elapsed time, whatever clock the store uses for metadata. It holds the
            // dispatcher weakly, so a store that is dropped without being disposed can still be collected.
            var watchdogState = new WatchdogState(new WeakReference<BackgroundDispatcher>(this));
            _watchdog = TimeProvider.System.CreateTimer(
                static state =>
                {
                    var watchdog = (WatchdogState)state!;
                    if (watchdog.Owner.TryGetTarget(out BackgroundDispatcher? dispatcher))
                    {
                        dispatcher.CheckForHang();
                    }
                    else
                    {
                        watchdog.Timer?.Dispose();
                    }
                },
                watchdogState,
                period,
                period);
            watchdogState.Timer = _watchdog;
        }
    }

    public override bool IsDispatchingOnCurrentThread => ReferenceEquals(t_dispatching, this);

    public override void AfterCommit()
    {
    }

    public override async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        EnsureStarted();
        await _completed.Task.ConfigureAwait(false);
        ReleaseAllWaiters();
    }

    public void Dispose() => _watchdog?.Dispose();

    protected override void EnqueueCore(StateEvent stateEvent)
    {
        _queue.Writer.TryWrite(stateEvent);
        if (Volatile.Read(ref _started) == 0)
        {
            EnsureStarted();
        }
    }

    private void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            int generation = Volatile.Read(ref _generation);
            _ = Task.Run(() => RunAsync(generation));
        }
    }

    private async Task RunAsync(int generation)
    {
        ChannelReader<StateEvent> reader = _queue.Reader;
        while (true)
        {
            if (_cursor.Current is null)
            {
                if (!reader.TryRead(out StateEvent? next))
                {
                    if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                    {
                        _completed.TrySetResult();
                        return;
                    }

                    continue;
                }

                _cursor.Begin(next, Index);
            }

            while (_cursor.TryNext(out Subscription subscription, out StateEvent delivered))
            {
                if (!await DeliverAsync(subscription, delivered, generation).ConfigureAwait(false))
                {
                    return;
                }
            }

            _cursor.End();
            MarkDelivered();
        }
    }

    /// <returns><see langword="false"/> when this worker was superseded by the watchdog and must stop.</returns>
    private async ValueTask<bool> DeliverAsync(Subscription subscription, StateEvent stateEvent, int generation)
    {
        if (subscription.IsDirect)
        {
            subscription.InvokeIfActive(stateEvent);
            return true;
        }

        if (subscription.Busy)
        {
            var busy = new TimeoutException(
                $"Subscription {subscription.Id} ('{subscription.Selector}') is still running a callback that timed out; this event was not delivered to it.");
            ReportAbandoned(subscription, stateEvent, busy, 0, _retryPolicy.MaxAttempts);
            return true;
        }

        int maxAttempts = _retryPolicy.MaxAttempts;
        for (int attempt = 1; ; attempt++)
        {
            if (!BeginInvocation(subscription, stateEvent, attempt, generation))
            {
                return false;
            }

            Exception? failure = null;
            t_dispatching = this;
            try
            {
                ValueTask pending = Invoke(subscription, stateEvent);
                if (!pending.IsCompletedSuccessfully)
                {
                    t_dispatching = null;
                    await pending.ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                t_dispatching = null;
            }

            if (!EndInvocation(subscription, generation))
            {
                return false;
            }

            if (failure is null || !subscription.IsActive)
            {
                return true;
            }

            ReportFailedAttempt(subscription, stateEvent, failure, attempt, maxAttempts);
            if (attempt >= maxAttempts)
            {
                return true;
            }

            await Task.Delay(_retryPolicy.GetDelay(attempt)).ConfigureAwait(false);
            if (!subscription.IsActive)
            {
                return true;
            }
        }
    }

    private ValueTask Invoke(Subscription subscription, StateEvent stateEvent)
    {
        SynchronizationContext? context = ContextFor(subscription);
        if (context is null)
        {
            // The callback runs here and now: the active check is the last thing before it (Subscription.Dispose contract).
            if (subscription.IsAsync)
            {
                return subscription.InvokeIfActiveAsync(stateEvent);
            }

            subscription.InvokeIfActive(stateEvent);
            return default;
        }

        // The context may be busy for a long time: the posted work item checks again right before the callback.
        return new ValueTask(ContextInvocation.Post(context, subscription, stateEvent));
    }

    private bool BeginInvocation(Subscription subscription, StateEvent stateEvent, int attempt, int generation)
    {
        lock (_baton)
        {
            if (generation != _generation)
            {
                return false;
            }

            _running = subscription;
            _runningEvent = stateEvent;
            _runningAttempt = attempt;
            _runningSince = Stopwatch.GetTimestamp();
            return true;
        }
    }

    private bool EndInvocation(Subscription subscription, int generation)
    {
        lock (_baton)
        {
            if (generation != _generation)
            {
                // The watchdog gave up on this callback and a newer worker took over.
                subscription.Busy = false;
                return false;
            }

            _running = null;
            _runningEvent = null;
            return true;
        }
    }

    private void CheckForHang()
    {
        Subscription hung;
        StateEvent stateEvent;
        int attempt;
        int generation;
        lock (_baton)
        {
            if (_running is null || Stopwatch.GetElapsedTime(_runningSince) < _callbackTimeout)
            {
                return;
            }

            hung = _running;
            stateEvent = _runningEvent!;
            attempt = _runningAttempt;
            hung.Busy = true;
            generation = ++_generation;
            _running = null;
            _runningEvent = null;
        }

        Log.CallbackTimedOut(Logger, hung.Id, hung.Selector.ToString(), _callbackTimeout, stateEvent.Path.ToString(), stateEvent.Version);
        var timeout = new TimeoutException(
            $"Subscription {hung.Id} ('{hung.Selector}') did not return within {_callbackTimeout} while handling {stateEvent}; delivery moved on without it.");
        ReportAbandoned(hung, stateEvent, timeout, attempt, _retryPolicy.MaxAttempts);
        _ = Task.Run(() => RunAsync(generation));
    }

    private sealed class WatchdogState(WeakReference<BackgroundDispatcher> owner)
    {
        public WeakReference<BackgroundDispatcher> Owner { get; } = owner;

        public ITimer? Timer { get; set; }
    }
}
