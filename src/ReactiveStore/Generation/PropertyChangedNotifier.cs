using System.ComponentModel;

namespace ReactiveStore;

/// <summary>Raises <see cref="INotifyPropertyChanged.PropertyChanged"/> for a generated node when the store paths of its members change.</summary>
/// <remarks>
/// The store subscriptions (one exact-path subscription per member) exist only while at least one handler is attached, so a
/// node nobody listens to costs the store nothing. Handlers run where the store delivers events: on the dispatcher, or posted to
/// <see cref="StateStoreOptions.SynchronizationContext"/> when the store has one (for example a UI thread).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PropertyChangedNotifier
{
    private readonly Lock _lock = new();
    private readonly object _sender;
    private readonly StateStore _store;
    private readonly StatePath _nodePath;
    private readonly string[] _segments;
    private readonly PropertyChangedEventArgs[] _args;
    private PropertyChangedEventHandler? _handlers;
    private Subscription[]? _subscriptions;

    /// <summary>Creates a notifier for the members named by <paramref name="segments"/> and <paramref name="propertyNames"/>.</summary>
    /// <param name="sender">The node, passed as the event sender.</param>
    /// <param name="store">The store.</param>
    /// <param name="nodePath">The path of the node.</param>
    /// <param name="segments">The segment of each notifying member.</param>
    /// <param name="propertyNames">The property name of each member, in the order of <paramref name="segments"/>.</param>
    public PropertyChangedNotifier(object sender, StateStore store, StatePath nodePath, string[] segments, string[] propertyNames)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(propertyNames);
        if (segments.Length != propertyNames.Length)
        {
            throw new ArgumentException("Every segment needs a property name.", nameof(propertyNames));
        }

        _sender = sender;
        _store = store;
        _nodePath = nodePath;
        _segments = segments;
        _args = new PropertyChangedEventArgs[propertyNames.Length];
        for (int i = 0; i < propertyNames.Length; i++)
        {
            _args[i] = new PropertyChangedEventArgs(propertyNames[i]);
        }
    }

    /// <summary>Attaches a handler; the first one subscribes to the store.</summary>
    /// <param name="handler">The handler.</param>
    public void Add(PropertyChangedEventHandler? handler)
    {
        if (handler is null)
        {
            return;
        }

        lock (_lock)
        {
            _handlers += handler;
            if (_subscriptions is null)
            {
                var subscriptions = new Subscription[_segments.Length];
                for (int i = 0; i < _segments.Length; i++)
                {
                    subscriptions[i] = _store.Subscribe(
                        _nodePath.Append(_segments[i]).ToString(),
                        (Notifier: this, Args: _args[i]),
                        static (e, state) => state.Notifier.Raise(e, state.Args),
                        new SubscribeOptions { Bubble = false });
                }

                _subscriptions = subscriptions;
            }
        }
    }

    /// <summary>Detaches a handler; the last one ends the store subscriptions.</summary>
    /// <param name="handler">The handler.</param>
    public void Remove(PropertyChangedEventHandler? handler)
    {
        if (handler is null)
        {
            return;
        }

        Subscription[]? ended = null;
        lock (_lock)
        {
            _handlers -= handler;
            if (_handlers is null)
            {
                ended = _subscriptions;
                _subscriptions = null;
            }
        }

        if (ended is not null)
        {
            foreach (Subscription subscription in ended)
            {
                subscription.Dispose();
            }
        }
    }

    private void Raise(StateEvent stateEvent, PropertyChangedEventArgs args)
    {
        if (stateEvent.Type != StateEventType.Ping)
        {
            Volatile.Read(ref _handlers)?.Invoke(_sender, args);
        }
    }
}
