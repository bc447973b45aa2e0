using ReactiveStore.Signals;

namespace ReactiveStore;

/// <summary>The effect behind <see cref="StateStore.Track"/>: runs the user's action under tracking, and logs (rather than
/// loses) the exceptions of later runs.</summary>
internal sealed class StoreTracker(StateStore store, Action<TrackingContext> action, TrackingContext context) : IDisposable
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
        store.RemoveTracker(this);
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
            store.ReportTrackerFailure(ex, _name);
        }
    }
}
