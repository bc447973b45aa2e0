using System.Threading.Channels;

namespace ReactiveStore;

/// <summary>The subscription behind a <see cref="StateWatch"/>: hands events to a bounded buffer without ever blocking the dispatcher.</summary>
internal sealed class WatchSubscription : Subscription
{
    private readonly Channel<StateEvent> _buffer;
    private readonly WatchOptions _options;
    private readonly CancellationTokenRegistration _cancellation;
    private readonly Lock _historyGate = new();
    private long _dropped;
    private long _lastBufferedVersion;

    // While the history of a resumed watch is being written, live events wait here (in order), then follow it.
    private List<StateEvent>? _waitingForHistory;

    public WatchSubscription(StateStore store, long id, PathSelector selector, WatchOptions options, CancellationToken cancellationToken)
        : base(store, id, selector, options.Bubble, context: null)
    {
        _options = options;
        var channelOptions = new BoundedChannelOptions(options.Capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
            FullMode = options.Overflow == WatchOverflowMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        _buffer = options.Overflow == WatchOverflowMode.DropOldest
            ? Channel.CreateBounded<StateEvent>(channelOptions, _ => Interlocked.Increment(ref _dropped))
            : Channel.CreateBounded<StateEvent>(channelOptions);
        Stream = new StateWatch(this, cancellationToken);
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.Register(static state => ((WatchSubscription)state!).Dispose(), this);
        }
    }

    public StateWatch Stream { get; }

    public ChannelReader<StateEvent> Reader => _buffer.Reader;

    public long DroppedCount => Interlocked.Read(ref _dropped);

    public int Capacity => _options.Capacity;

    internal override bool IsAsync => false;

    internal override bool IsDirect => true;

    internal override void Invoke(StateEvent stateEvent)
    {
        if (Volatile.Read(ref _waitingForHistory) is not null)
        {
            lock (_historyGate)
            {
                if (_waitingForHistory is { } waiting)
                {
                    if (waiting.Count >= _options.Capacity && _options.Overflow == WatchOverflowMode.Throw)
                    {
                        Overflow();
                        return;
                    }

                    waiting.Add(stateEvent);
                    return;
                }
            }
        }

        Buffer(stateEvent);
    }

    /// <summary>Holds live events back until <see cref="ReplayHistoryAsync"/> has written the history (called before the
    /// subscription is registered).</summary>
    internal void HoldLiveEvents() => _waitingForHistory = [];

    /// <summary>Writes the retained changes after <see cref="WatchOptions.FromVersion"/> (read by <paramref name="readHistory"/>,
    /// up to the version at which this watch subscribed), then the live events that arrived meanwhile, then goes live.</summary>
    internal async Task ReplayHistoryAsync(Func<long, List<StateEvent>> readHistory, long fromVersion)
    {
        Exception? failure = null;
        try
        {
            List<StateEvent> history = await Task.Run(() => readHistory(fromVersion)).ConfigureAwait(false);
            foreach (StateEvent stateEvent in history)
            {
                if (!Selector.TryMatch(stateEvent.Path, Bubble, out int depth))
                {
                    continue;
                }

                // History waits for room in the buffer (it is not the dispatcher: it may wait).
                await _buffer.Writer.WriteAsync(stateEvent.AtDepth(depth)).ConfigureAwait(false);
                Volatile.Write(ref _lastBufferedVersion, stateEvent.Version);
            }
        }
        catch (Exception ex) when (ex is not ChannelClosedException)
        {
            failure = ex;
        }
        catch (ChannelClosedException)
        {
            return; // the watch ended meanwhile
        }

        lock (_historyGate)
        {
            List<StateEvent> waiting = _waitingForHistory!;
            _waitingForHistory = null;
            if (failure is not null)
            {
                _buffer.Writer.TryComplete(failure);
                Dispose();
                return;
            }

            foreach (StateEvent stateEvent in waiting)
            {
                if (!Buffer(stateEvent))
                {
                    return;
                }
            }
        }
    }

    private void Overflow()
    {
        var overflow = new WatchOverflowException(Selector.ToString(), _options.Capacity, Volatile.Read(ref _lastBufferedVersion));
        _buffer.Writer.TryComplete(overflow);
        Dispose();
    }

    private bool Buffer(StateEvent stateEvent)
    {
        if (_buffer.Writer.TryWrite(stateEvent))
        {
            Volatile.Write(ref _lastBufferedVersion, stateEvent.Version);
            return true;
        }

        // Only the Throw mode can refuse a write: end the enumeration after what is buffered, loudly.
        Overflow();
        return false;
    }

    internal override void OnEnded(bool storeShutdown)
    {
        _cancellation.Dispose();
        _buffer.Writer.TryComplete();
    }
}
