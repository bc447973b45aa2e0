using System.Runtime.CompilerServices;

namespace ReactiveStore;

/// <summary>A live, buffered stream of the events matching a selector, from
/// <see cref="StateStore.Watch(string, WatchOptions?, CancellationToken)"/>.</summary>
/// <remarks>
/// The watcher is subscribed as soon as it is created, so no event committed after <c>Watch</c> returns is missed.
/// It can be enumerated once. It ends when the store shuts down (after every queued event), when it is disposed,
/// or when a cancellation token fires (the enumeration then throws <see cref="OperationCanceledException"/>).
/// A consumer that falls behind by more than <see cref="WatchOptions.Capacity"/> events gets a
/// <see cref="WatchOverflowException"/> after the buffered events, unless <see cref="WatchOverflowMode.DropOldest"/> was chosen.
/// </remarks>
public sealed class StateWatch : IAsyncEnumerable<StateEvent>, IAsyncDisposable, IDisposable
{
    private readonly WatchSubscription _subscription;
    private readonly CancellationToken _watchToken;
    private int _enumerated;

    internal StateWatch(WatchSubscription subscription, CancellationToken watchToken)
    {
        _subscription = subscription;
        _watchToken = watchToken;
    }

    /// <summary>Gets the watched selector.</summary>
    public PathSelector Selector => _subscription.Selector;

    /// <summary>Gets the id of the underlying subscription.</summary>
    public long SubscriptionId => _subscription.Id;

    /// <summary>Gets how many events are buffered at most.</summary>
    public int Capacity => _subscription.Capacity;

    /// <summary>Gets how many events were dropped to make room (only with <see cref="WatchOverflowMode.DropOldest"/>).</summary>
    public long DroppedCount => _subscription.DroppedCount;

    /// <summary>Gets whether the watcher still receives events.</summary>
    public bool IsActive => _subscription.IsActive;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The watch is already being (or was) enumerated.</exception>
    public IAsyncEnumerator<StateEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException($"The watch of '{Selector}' can be enumerated only once; call Watch again for another reader.");
        }

        return ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>Stops the watcher; a running enumeration ends after the events already buffered.</summary>
    public void Dispose() => _subscription.Dispose();

    /// <summary>Stops the watcher; a running enumeration ends after the events already buffered.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        return default;
    }

    private async IAsyncEnumerable<StateEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using CancellationTokenSource? linked = _watchToken.CanBeCanceled && cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(_watchToken, cancellationToken)
            : null;
        CancellationToken token = linked?.Token ?? (cancellationToken.CanBeCanceled ? cancellationToken : _watchToken);
        try
        {
            var reader = _subscription.Reader;
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out StateEvent? next))
                {
                    yield return next;
                }
            }

            // Cancellation completes the buffer too; report it as cancellation, not as a normal end.
            token.ThrowIfCancellationRequested();
        }
        finally
        {
            _subscription.Dispose();
        }
    }
}
