using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ReactiveStore;

/// <summary>Makes every failed callback visible: raises <see cref="StateStore.CallbackFailed"/>, and writes a
/// <see cref="Trace"/> warning when the configured logger would not record the failure.</summary>
/// <remarks>Handlers are added and removed lock-free (as a compiler-generated event does) and run on the dispatching thread,
/// one by one; a handler that throws is logged (or traced) and the others still run. Only failure paths get here.</remarks>
internal sealed class CallbackFailureReporter(ILogger logger)
{
    private EventHandler<CallbackFailedEventArgs>? _handlers;

    /// <summary>Gets or sets the object handlers receive as the sender: the store.</summary>
    public object? Sender { get; set; }

    public void Add(EventHandler<CallbackFailedEventArgs>? handler)
    {
        EventHandler<CallbackFailedEventArgs>? current = Volatile.Read(ref _handlers);
        while (true)
        {
            var combined = (EventHandler<CallbackFailedEventArgs>?)Delegate.Combine(current, handler);
            EventHandler<CallbackFailedEventArgs>? seen = Interlocked.CompareExchange(ref _handlers, combined, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    public void Remove(EventHandler<CallbackFailedEventArgs>? handler)
    {
        EventHandler<CallbackFailedEventArgs>? current = Volatile.Read(ref _handlers);
        while (true)
        {
            var remaining = (EventHandler<CallbackFailedEventArgs>?)Delegate.Remove(current, handler);
            EventHandler<CallbackFailedEventArgs>? seen = Interlocked.CompareExchange(ref _handlers, remaining, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Reports one failed (or abandoned) delivery; the caller has already logged it and dead-lettered it if needed.</summary>
    public void Report(Subscription subscription, StateEvent stateEvent, Exception exception, int attempt, int maxAttempts, bool deadLettered)
    {
        // The dispatcher logs a failed attempt as a warning and a dead letter as an error: when the logger would show
        // neither (no LoggerFactory configured, or filters that drop it), the failure still reaches a debugger or a
        // configured trace listener instead of vanishing into DeadLetters.
        if (!logger.IsEnabled(deadLettered ? LogLevel.Error : LogLevel.Warning))
        {
            TraceSafely(Describe(subscription, stateEvent, exception, attempt, maxAttempts, deadLettered));
        }

        EventHandler<CallbackFailedEventArgs>? handlers = Volatile.Read(ref _handlers);
        if (handlers is null)
        {
            return;
        }

        var args = new CallbackFailedEventArgs(subscription.Id, subscription.Selector.ToString(), stateEvent, exception, attempt, maxAttempts, deadLettered);
        foreach (Delegate handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<CallbackFailedEventArgs>)handler)(Sender, args);
            }
            catch (Exception handlerFailure)
            {
                // A failing handler must not stop delivery or the other handlers.
                Log.CallbackFailedHandlerThrew(logger, handlerFailure, subscription.Id, subscription.Selector.ToString());
                if (!logger.IsEnabled(LogLevel.Error))
                {
                    TraceSafely(string.Create(
                        CultureInfo.InvariantCulture,
                        $"ReactiveStore: a CallbackFailed handler threw {handlerFailure.GetType().Name}: {OneLine(handlerFailure.Message)}"));
                }
            }
        }
    }

    /// <summary>The one-line trace text of a failure: who failed, on what, with what, and what happens next.</summary>
    internal static string Describe(Subscription subscription, StateEvent stateEvent, Exception exception, int attempt, int maxAttempts, bool deadLettered)
    {
        string outcome = deadLettered ? "the event went to the dead letters" : "it will be retried";
        string attempted = attempt == 0 ? "not attempted" : string.Create(CultureInfo.InvariantCulture, $"attempt {attempt} of {maxAttempts}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"ReactiveStore: subscriber {subscription.Id} ('{subscription.Selector}') failed on {stateEvent.Type} '{stateEvent.Path}' v{stateEvent.Version} ({attempted}; {outcome}): {exception.GetType().Name}: {OneLine(exception.Message)}");
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "A trace listener that throws must not stop delivery.")]
    private static void TraceSafely(string line)
    {
        try
        {
            Trace.TraceWarning(line);
        }
        catch (Exception)
        {
            // Nowhere left to report it: the failure is still logged (if a logger is configured), raised and dead-lettered.
        }
    }

    private static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ')
            : text;
}
