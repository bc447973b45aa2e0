using System.Collections;

namespace ReactiveStore;

/// <summary>The events subscribers failed to process, oldest first, bounded by <see cref="StateStoreOptions.DeadLetterCapacity"/>.</summary>
/// <remarks>Thread-safe. When full, the oldest dead letter is dropped and counted in <see cref="DroppedCount"/>.</remarks>
public sealed class DeadLetterCollection : IReadOnlyCollection<DeadLetter>
{
    private readonly Lock _lock = new();
    private readonly Queue<DeadLetter> _items = new();
    private readonly int _capacity;
    private long _dropped;

    internal DeadLetterCollection(int capacity)
    {
        _capacity = capacity;
    }

    /// <summary>Gets the number of dead letters held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Gets how many dead letters were dropped because the queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Removes and returns the oldest dead letter, if any.</summary>
    /// <param name="deadLetter">The dead letter removed.</param>
    /// <returns>Whether one was removed.</returns>
    public bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DeadLetter? deadLetter)
    {
        lock (_lock)
        {
            return _items.TryDequeue(out deadLetter);
        }
    }

    /// <summary>Returns a snapshot of the dead letters, oldest first.</summary>
    /// <returns>The snapshot.</returns>
    public DeadLetter[] ToArray()
    {
        lock (_lock)
        {
            return _items.ToArray();
        }
    }

    /// <summary>Removes every dead letter.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _items.Clear();
        }
    }

    /// <inheritdoc/>
    public IEnumerator<DeadLetter> GetEnumerator() => ((IEnumerable<DeadLetter>)ToArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(DeadLetter deadLetter)
    {
        lock (_lock)
        {
            if (_items.Count >= _capacity)
            {
                _items.Dequeue();
                Interlocked.Increment(ref _dropped);
            }

            _items.Enqueue(deadLetter);
        }
    }
}
