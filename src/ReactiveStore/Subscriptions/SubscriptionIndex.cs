using System.Collections.Concurrent;

namespace ReactiveStore;

/// <summary>A trie of subscriptions keyed by selector segments, so matching a path costs the path's depth,
/// not the number of subscriptions.</summary>
/// <remarks>
/// Threading: <see cref="Add"/> and <see cref="Remove"/> serialize on a private lock; <see cref="Match"/> takes no lock.
/// Child maps are concurrent dictionaries and subscriber lists are immutable arrays published with
/// <see cref="Volatile.Write{T}(ref T, T)"/>, so a reader always sees a consistent list.
/// </remarks>
internal sealed class SubscriptionIndex
{
    private readonly Lock _mutate = new();
    private static readonly Comparison<SubscriptionMatch> s_deliveryOrder = static (x, y) =>
    {
        int byDepth = y.Depth.CompareTo(x.Depth);
        return byDepth != 0 ? byDepth : x.Subscription.Id.CompareTo(y.Subscription.Id);
    };

    private readonly TrieNode _root = new(null, null);
    private int _count;
    private long _version;

    /// <summary>Gets the number of registered subscriptions.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets a number that changes whenever a subscription is added or removed (so cached matches can be reused).</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>Returns the subscriptions matching <paramref name="path"/> in delivery order (deeper first, then by id); an
    /// empty array when none.</summary>
    /// <remarks>The array is never changed after it is returned, so it can be cached and shared between events.</remarks>
    public SubscriptionMatch[] MatchInDeliveryOrder(StatePath path)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return [];
        }

        var results = new List<SubscriptionMatch>();
        Match(path, results);
        if (results.Count == 0)
        {
            return [];
        }

        results.Sort(s_deliveryOrder);
        return [.. results];
    }

    public void Add(Subscription subscription)
    {
        PathSelector selector = subscription.Selector;
        int prefixLength = selector.HasTrailingWildcard ? selector.SegmentCount - 1 : selector.SegmentCount;
        lock (_mutate)
        {
            TrieNode node = _root;
            for (int i = 0; i < prefixLength; i++)
            {
                node = node.GetOrAddChild(selector[i]);
            }

            if (selector.HasTrailingWildcard)
            {
                node.Descendants = Append(node.Descendants, subscription);
            }
            else
            {
                node.Exact = Append(node.Exact, subscription);
            }

            _count++;
            Volatile.Write(ref _version, _version + 1);
        }
    }

    public bool Remove(Subscription subscription)
    {
        PathSelector selector = subscription.Selector;
        int prefixLength = selector.HasTrailingWildcard ? selector.SegmentCount - 1 : selector.SegmentCount;
        lock (_mutate)
        {
            TrieNode? node = _root;
            for (int i = 0; i < prefixLength && node is not null; i++)
            {
                node = node.GetChild(selector[i]);
            }

            if (node is null)
            {
                return false;
            }

            bool removed;
            if (selector.HasTrailingWildcard)
            {
                removed = TryRemove(ref node.Descendants, subscription);
            }
            else
            {
                removed = TryRemove(ref node.Exact, subscription);
            }

            if (removed)
            {
                _count--;
                Volatile.Write(ref _version, _version + 1);
                Prune(node);
            }

            return removed;
        }
    }

    /// <summary>Adds every subscription matching <paramref name="path"/> to <paramref name="results"/> with the depth it matched at.</summary>
    public void Match(StatePath path, List<SubscriptionMatch> results)
    {
        string text = path.Value;
        Span<Range> segments = stackalloc Range[path.Depth];
        Split(text, segments);
        MatchNode(_root, text, segments, 0, results);
    }

    /// <summary>Gets whether any subscription matches <paramref name="path"/>, without collecting them.</summary>
    /// <remarks>The store asks this while committing, so a write nobody listens to creates no event at all.</remarks>
    public bool HasMatch(StatePath path)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return false;
        }

        string text = path.Value;
        Span<Range> segments = stackalloc Range[path.Depth];
        Split(text, segments);
        return HasMatch(_root, text, segments, 0);
    }

    private static bool HasMatch(TrieNode node, string path, ReadOnlySpan<Range> segments, int depth)
    {
        int length = segments.Length;
        if (depth < length && Volatile.Read(ref node.Descendants).Length != 0)
        {
            return true;
        }

        foreach (Subscription subscription in Volatile.Read(ref node.Exact))
        {
            if (depth == length || subscription.Bubble)
            {
                return true;
            }
        }

        if (depth >= length)
        {
            return false;
        }

        if (node.TryGetChild(path.AsSpan()[segments[depth]], out TrieNode? child) && HasMatch(child, path, segments, depth + 1))
        {
            return true;
        }

        TrieNode? star = Volatile.Read(ref node.Star);
        return star is not null && HasMatch(star, path, segments, depth + 1);
    }

    private static void MatchNode(TrieNode node, string path, ReadOnlySpan<Range> segments, int depth, List<SubscriptionMatch> results)
    {
        // Depth is bounded by the 64-segment limit, so recursion here is bounded too.
        int length = segments.Length;
        if (depth < length)
        {
            foreach (Subscription subscription in Volatile.Read(ref node.Descendants))
            {
                results.Add(new SubscriptionMatch(subscription, depth));
            }
        }

        foreach (Subscription subscription in Volatile.Read(ref node.Exact))
        {
            if (depth == length || subscription.Bubble)
            {
                results.Add(new SubscriptionMatch(subscription, depth));
            }
        }

        if (depth < length)
        {
            if (node.TryGetChild(path.AsSpan()[segments[depth]], out TrieNode? child))
            {
                MatchNode(child, path, segments, depth + 1, results);
            }

            TrieNode? star = Volatile.Read(ref node.Star);
            if (star is not null)
            {
                MatchNode(star, path, segments, depth + 1, results);
            }
        }
    }

    private static int Split(string path, Span<Range> segments)
    {
        if (path.Length == 0)
        {
            return 0;
        }

        int count = 0;
        int start = 0;
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '.')
            {
                segments[count++] = new Range(start, i);
                start = i + 1;
            }
        }

        segments[count++] = new Range(start, path.Length);
        return count;
    }

    private static void Prune(TrieNode node)
    {
        while (node.Parent is not null && node.IsEmpty)
        {
            node.Parent.RemoveChild(node);
            node = node.Parent;
        }
    }

    private static Subscription[] Append(Subscription[] items, Subscription item)
    {
        var copy = new Subscription[items.Length + 1];
        items.CopyTo(copy, 0);
        copy[^1] = item;
        return copy;
    }

    private static bool TryRemove(ref Subscription[] items, Subscription item)
    {
        int index = Array.IndexOf(items, item);
        if (index < 0)
        {
            return false;
        }

        Subscription[] copy = items.Length == 1 ? [] : new Subscription[items.Length - 1];
        Array.Copy(items, 0, copy, 0, index);
        Array.Copy(items, index + 1, copy, index, items.Length - index - 1);
        Volatile.Write(ref items, copy);
        return true;
    }

    private sealed class TrieNode(TrieNode? parent, string? segment)
    {
        public Subscription[] Exact = [];
        public Subscription[] Descendants = [];
        public TrieNode? Star;
        private ConcurrentDictionary<string, TrieNode>? _children;

        public TrieNode? Parent { get; } = parent;

        public string? Segment { get; } = segment;

        public bool IsEmpty => Exact.Length == 0 && Descendants.Length == 0 && Star is null && (_children is null || _children.IsEmpty);

        public TrieNode GetOrAddChild(string segment)
        {
            if (segment == "*")
            {
                TrieNode? star = Star;
                if (star is null)
                {
                    star = new TrieNode(this, segment);
                    Volatile.Write(ref Star, star);
                }

                return star;
            }

            if (_children is null)
            {
                Volatile.Write(ref _children, new ConcurrentDictionary<string, TrieNode>(StringComparer.Ordinal));
            }

            return _children.GetOrAdd(segment, static (key, parent) => new TrieNode(parent, key), this);
        }

        public TrieNode? GetChild(string segment)
        {
            if (segment == "*")
            {
                return Star;
            }

            return _children is not null && _children.TryGetValue(segment, out TrieNode? child) ? child : null;
        }

        public bool TryGetChild(ReadOnlySpan<char> segment, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TrieNode? child)
        {
            ConcurrentDictionary<string, TrieNode>? children = Volatile.Read(ref _children);
            if (children is null)
            {
                child = null;
                return false;
            }

            return children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segment, out child);
        }

        public void RemoveChild(TrieNode child)
        {
            if (ReferenceEquals(Star, child))
            {
                Volatile.Write(ref Star, null);
            }
            else if (child.Segment is not null)
            {
                _children?.TryRemove(child.Segment, out _);
            }
        }
    }
}

/// <summary>A subscription that matched an event's path, and the depth of the path it matched at.</summary>
/// <param name="Subscription">The matching subscription.</param>
/// <param name="Depth">The depth of the event's <see cref="StateEvent.CurrentPath"/> for this subscription.</param>
internal readonly record struct SubscriptionMatch(Subscription Subscription, int Depth);
