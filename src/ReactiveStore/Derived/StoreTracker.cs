using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>The effect behind <see cref="StateStore.Track"/>: runs the user's action under tracking, and logs (rather than
/// loses) the exceptions of later runs.</summary>
/// <remarks>The action runs under the engine lock; store writes it makes are committed as soon as it returns (see
/// <see cref="DeferredWrites"/>), durably, before the write or batch that triggered it returns.</remarks>
internal sealed class StoreTracker(DerivationRegistry registry, Action<TrackingContext> action, TrackingContext context) : IDisposable
{
    private static int s_count;
    private readonly string _name = $"Track#{Interlocked.Increment(ref s_count)}";
    private Effect? _effect;
    private bool _started;

    public void Start()
    {
        _effect = new Effect(Run) { Name = _name };
        _started = true;
    }

    public void Stop()
    {
        _effect?.Dispose();
        _effect = null;
    }

    public void Dispose()
    {
        Stop();
        registry.RemoveTracker(this);
    }

    private void Run()
    {
        if (!_started)
        {
            // The first run happens inside Track: its exception goes to the caller.
            action(context);
            return;
        }

        try
        {
            action(context);
        }
        catch (Exception ex)
        {
            registry.ReportTrackerFailure(ex, _name);
        }
    }
}
