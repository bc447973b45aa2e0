using System.Threading.Channels;

namespace ReactiveStore;

/// <summary>The subscription behind a <see cref="StateWatch"/>: hands events to a bounded buffer without ever blocking the dispatcher.</summary>
internal sealed class WatchSubscription : Subscription
{
    private readonly Channel<StateEvent> _buffer;
    private readonly WatchOptions _options;
    private readonly CancellationTokenRegistration _cancellation;
    private long _dropped;
    private long _lastBufferedVersion;

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
        if (_buffer.Writer.TryWrite(stateEvent))
        {
            Volatile.Write(ref _lastBufferedVersion, stateEvent.Version);
            return;
        }

        // Only the Throw mode can refuse a write: end the enumeration after what is buffered, loudly.
        var overflow = new WatchOverflowException(Selector.ToString(), _options.Capacity, Volatile.Read(ref _lastBufferedVersion));
        _buffer.Writer.TryComplete(overflow);
        Dispose();
    }

    internal override void OnEnded(bool storeShutdown)
    {
        _cancellation.Dispose();
        _buffer.Writer.TryComplete();
    }
}
