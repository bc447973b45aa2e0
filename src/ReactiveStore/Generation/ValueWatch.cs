using System.Runtime.CompilerServices;

namespace ReactiveStore;

/// <summary>Maps a watch of one exact path to typed changes (pings skipped); the watch is already subscribed.</summary>
internal sealed class ValueWatch<T>(StateWatch watch) : IAsyncEnumerable<ValueChange<T>>
{
    public IAsyncEnumerator<ValueChange<T>> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    private async IAsyncEnumerable<ValueChange<T>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (watch)
        {
            await foreach (StateEvent e in watch.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (e.Type != StateEventType.Ping)
                {
                    yield return StateNodeSupport.ToValueChange<T>(e);
                }
            }
        }
    }
}
