namespace ReactiveStore;

/// <summary>Walks the subscribers of one event in delivery order: deeper <see cref="StateEvent.CurrentPath"/> first,
/// then subscription order, stopping at shallower depths once a subscriber called <see cref="StateEvent.StopPropagation"/>.</summary>
/// <remarks>Owned by one dispatcher worker at a time; not thread-safe.</remarks>
internal sealed class DeliveryCursor
{
    private static readonly Comparison<SubscriptionMatch> s_deliveryOrder = static (x, y) =>
    {
        int byDepth = y.Depth.CompareTo(x.Depth);
        return byDepth != 0 ? byDepth : x.Subscription.Id.CompareTo(y.Subscription.Id);
    };

    private readonly List<SubscriptionMatch> _matches = [];
    private SubscriptionMatch[]? _array;
    private int _count;
    private StateEvent? _event;
    private StateEvent? _group;
    private int _groupDepth;
    private int _next;

    /// <summary>Gets the event being delivered, or <see langword="null"/> between events.</summary>
    public StateEvent? Current => _event;

    public void Begin(StateEvent stateEvent, SubscriptionIndex index)
    {
        _event = stateEvent;
        _group = null;
        _groupDepth = -1;
        _next = 0;
        _matches.Clear();
        if (stateEvent.Matches is { } published)
        {
            // Matched (in delivery order) when the commit was published: no second walk of the trie.
            _array = published;
            _count = published.Length;
            return;
        }

        index.Match(stateEvent.Path, _matches);
        if (_matches.Count > 1)
        {
            _matches.Sort(s_deliveryOrder);
        }

        _array = null;
        _count = _matches.Count;
    }

    public bool TryNext(out Subscription subscription, out StateEvent delivered)
    {
        StateEvent source = _event!;
        while (_next < _count)
        {
            SubscriptionMatch match = _array is { } array ? array[_next++] : _matches[_next++];
            if (match.Depth != _groupDepth)
            {
                if (_group is not null && _group.IsPropagationStopped)
                {
                    _next = _count;
                    break;
                }

                _group = source.AtDepth(match.Depth);
                _groupDepth = match.Depth;
            }

            Subscription candidate = match.Subscription;
            if (!candidate.IsActive || candidate.StartVersion >= source.Version)
            {
                continue;
            }

            subscription = candidate;
            delivered = _group!;
            return true;
        }

        subscription = null!;
        delivered = null!;
        return false;
    }

    public StateEvent End()
    {
        StateEvent done = _event!;
        _event = null;
        _group = null;
        _array = null;
        _count = 0;
        _matches.Clear();
        return done;
    }
}
