using ReactiveStore.Signals;

namespace ReactiveStore.Tests.SignalsEngine;

/// <summary>Inspection helpers over engine internals (InternalsVisibleTo).</summary>
internal static class GraphInspection
{
    public static int SubscriberCount(ReactiveNode node)
    {
        int count = 0;
        for (Link? link = node._subs; link is not null; link = link.NextSub)
        {
            count++;
        }

        return count;
    }

    public static int DependencyCount(ReactiveNode node)
    {
        int count = 0;
        for (Link? link = node._deps; link is not null; link = link.NextDep)
        {
            count++;
        }

        return count;
    }
}
