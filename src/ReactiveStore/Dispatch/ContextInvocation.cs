namespace ReactiveStore;

/// <summary>Runs a subscription's callback on a <see cref="SynchronizationContext"/> and reports its completion as a task.</summary>
internal sealed class ContextInvocation
{
    private static readonly SendOrPostCallback s_run = static state => ((ContextInvocation)state!).Run();

    private readonly Subscription _subscription;
    private readonly StateEvent _event;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ContextInvocation(Subscription subscription, StateEvent stateEvent)
    {
        _subscription = subscription;
        _event = stateEvent;
    }

    /// <summary>Posts the callback to the context and returns a task that completes when it has run.</summary>
    public static Task Post(SynchronizationContext context, Subscription subscription, StateEvent stateEvent)
    {
        var invocation = new ContextInvocation(subscription, stateEvent);
        context.Post(s_run, invocation);
        return invocation._completion.Task;
    }

    /// <summary>Runs the callback on the context synchronously (inline dispatch), or directly when already on it.</summary>
    public static void Send(SynchronizationContext context, Subscription subscription, StateEvent stateEvent)
    {
        if (ReferenceEquals(SynchronizationContext.Current, context))
        {
            subscription.InvokeIfActive(stateEvent);
            return;
        }

        var invocation = new ContextInvocation(subscription, stateEvent);
        context.Send(s_run, invocation);
        invocation._completion.Task.GetAwaiter().GetResult();
    }

    private void Run()
    {
        try
        {
            // The work item may have waited behind a busy context while the subscription was disposed: once Dispose
            // has returned, no callback of the subscription may start, so check here, right before calling it.
            if (!_subscription.IsActive)
            {
                _completion.TrySetResult();
                return;
            }

            if (!_subscription.IsAsync)
            {
                _subscription.Invoke(_event);
                _completion.TrySetResult();
                return;
            }

            ValueTask pending = _subscription.InvokeAsync(_event);
            if (pending.IsCompletedSuccessfully)
            {
                _completion.TrySetResult();
                return;
            }

            pending.AsTask().ContinueWith(
                static (task, state) =>
                {
                    var completion = (TaskCompletionSource)state!;
                    if (task.IsFaulted)
                    {
                        completion.TrySetException(task.Exception!.InnerExceptions);
                    }
                    else if (task.IsCanceled)
                    {
                        completion.TrySetCanceled();
                    }
                    else
                    {
                        completion.TrySetResult();
                    }
                },
                _completion,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
    }
}
