using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;

namespace ReactiveStore.Signals;

/// <summary>
/// The engine: one process-wide graph of signals, computeds and effects, push-pull with dirty/pending
/// flags over intrusive links (after alien-signals) and explicit stacks instead of recursion.
/// </summary>
/// <remarks>
/// Threading: every field here, and every graph field of every node, is touched only while holding
/// <see cref="Gate"/> (a <see cref="Lock"/>). Public entry points take it through <see cref="Enter"/>; nested reads inside a
/// computation see that their thread already owns it and skip it. Effects and <see cref="Signals.EffectFailed"/> handlers run under it.
/// </remarks>
internal static class SignalGraph
{
    /// <summary>Serializes every write, recomputation and effect run in the process.</summary>
    internal static readonly Lock Gate = new();

    // Whether this thread holds Gate. Nested reads inside a computation see it and skip the lock; a
    // [ThreadStatic] bool is cheaper to read than Environment.CurrentManagedThreadId.
    [ThreadStatic]
    private static bool t_holdsGate;

    /// <summary>Nested first evaluations deeper than this unwind and restart from the top (bounded stack).</summary>
    internal const int MaxNestedEvaluations = 192;

    /// <summary>How often one effect may re-run within a single flush before the flush gives up.</summary>
    internal const int EffectLoopLimit = 100_000;

    private const int LinkPoolLimit = 4096;

    // The node whose run is collecting dependencies (null outside any run or inside Untracked).
    internal static ReactiveNode? s_activeSub;
    internal static int s_batchDepth;
    internal static bool s_flushing;
    internal static int s_evalDepth;
    internal static long s_runCounter;
    internal static long s_flushEpoch;

    private static Link?[] s_propagateStack = new Link?[64];
    private static Link[] s_checkStack = new Link[64];
    internal static int s_checkSp;

    private static Effect?[] s_queue = new Effect?[64];
    private static int s_queueHead;
    private static int s_queueCount;

    private static ReactiveNode[] s_release = new ReactiveNode[16];
    private static int s_releaseCount;
    private static bool s_releasing;

    private static Link? s_linkPool;
    private static int s_linkPoolCount;

    /// <summary>Takes the engine lock unless this thread already holds it; returns whether it was taken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Enter()
    {
        if (t_holdsGate)
        {
            return false;
        }

        Gate.Enter();
        t_holdsGate = true;
        return true;
    }

    /// <summary>Gets whether the current thread holds the engine lock.</summary>
    internal static bool IsHeldByCurrentThread
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_holdsGate;
    }

    /// <summary>Releases the engine lock taken by <see cref="Enter"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Exit()
    {
        t_holdsGate = false;
        Gate.Exit();
        if (t_afterExit is { Count: > 0 })
        {
            RunQueuedAfterExit();
        }
    }

    private static void RunQueuedAfterExit()
    {
        Queue<(Action<object?> Work, object? State)> queue = t_afterExit!;
        while (queue.Count > 0 && !t_holdsGate)
        {
            (Action<object?> work, object? state) = queue.Dequeue();
            work(state);
        }
    }

    /// <summary>Returns a fresh id for a tracking run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long NextRunId() => ++s_runCounter;

    /// <summary>Records that the running <paramref name="sub"/> read <paramref name="dep"/>; reuses last run's link when the order is unchanged.</summary>
    internal static void Link(ReactiveNode dep, ReactiveNode sub)
    {
        Link? prevDep = sub._depsTail;
        if (prevDep is not null && prevDep.Dep == dep)
        {
            return;
        }

        long run = sub._runId;
        long seen = dep._seenRun;
        if (seen == run)
        {
            return; // already read in this run
        }

        if (seen > run && IsLinkedInCurrentRun(dep, sub))
        {
            return; // a nested run read it since; this run had already linked it
        }

        dep._seenRun = run;
        Link? nextDep = prevDep is not null ? prevDep.NextDep : sub._deps;
        if (nextDep is not null && nextDep.Dep == dep)
        {
            sub._depsTail = nextDep;
            return;
        }

        Link link = RentLink();
        link.Dep = dep;
        link.Sub = sub;
        link.NextDep = nextDep;
        if (prevDep is not null)
        {
            prevDep.NextDep = link;
        }
        else
        {
            sub._deps = link;
        }

        sub._depsTail = link;
        Link? prevSub = dep._subsTail;
        link.PrevSub = prevSub;
        if (prevSub is not null)
        {
            prevSub.NextSub = link;
        }
        else
        {
            dep._subs = link;
        }

        dep._subsTail = link;
    }

    private static bool IsLinkedInCurrentRun(ReactiveNode dep, ReactiveNode sub)
    {
        Link? tail = sub._depsTail;
        for (Link? link = sub._deps; link is not null; link = link.NextDep)
        {
            if (link.Dep == dep)
            {
                return true;
            }

            if (link == tail)
            {
                break;
            }
        }

        return false;
    }

    private static bool IsValidLink(Link checkLink, ReactiveNode sub)
    {
        Link? tail = sub._depsTail;
        if (tail is null)
        {
            return false;
        }

        for (Link? link = sub._deps; link is not null; link = link.NextDep)
        {
            if (link == checkLink)
            {
                return true;
            }

            if (link == tail)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>Marks everything downstream of a write as pending and queues the effects it reaches.</summary>
    internal static void Propagate(Link link)
    {
        Link? next = link.NextSub;
        Link?[] stack = s_propagateStack;
        int sp = 0;
        while (true)
        {
            ReactiveNode sub = link.Sub;
            int flags = sub._flags;
            if ((flags & (NodeFlags.RecursedCheck | NodeFlags.Recursed | NodeFlags.Dirty | NodeFlags.Pending)) == 0)
            {
                sub._flags = flags | NodeFlags.Pending;
            }
            else if ((flags & (NodeFlags.RecursedCheck | NodeFlags.Recursed)) == 0)
            {
                flags = 0; // already notified: its subtree is marked too
            }
            else if ((flags & NodeFlags.RecursedCheck) == 0)
            {
                sub._flags = (flags & ~NodeFlags.Recursed) | NodeFlags.Pending;
            }
            else if ((flags & (NodeFlags.Dirty | NodeFlags.Pending)) == 0 && IsValidLink(link, sub))
            {
                // A write to something the running node already read in this run: it must run again.
                sub._flags = flags | NodeFlags.Recursed | NodeFlags.Pending;
                flags &= NodeFlags.Mutable | NodeFlags.Watching;
            }
            else
            {
                flags = 0;
            }

            if ((flags & NodeFlags.Watching) != 0)
            {
                Enqueue(Unsafe.As<Effect>(sub));
            }

            if ((flags & NodeFlags.Mutable) != 0)
            {
                Link? subSubs = sub._subs;
                if (subSubs is not null)
                {
                    link = subSubs;
                    Link? nextSub = subSubs.NextSub;
                    if (nextSub is not null)
                    {
                        if (sp == stack.Length)
                        {
                            Array.Resize(ref s_propagateStack, sp * 2);
                            stack = s_propagateStack;
                        }

                        stack[sp++] = next;
                        next = nextSub;
                    }

                    continue;
                }
            }

            if (next is not null)
            {
                link = next;
                next = link.NextSub;
                continue;
            }

            bool resumed = false;
            while (sp > 0)
            {
                Link? saved = stack[--sp];
                stack[sp] = null;
                if (saved is not null)
                {
                    link = saved;
                    next = saved.NextSub;
                    resumed = true;
                    break;
                }
            }

            if (!resumed)
            {
                return;
            }
        }
    }

    /// <summary>After a node changed: its pending subscribers become dirty (they must re-run).</summary>
    internal static void ShallowPropagate(Link link)
    {
        Link? current = link;
        do
        {
            ReactiveNode sub = current.Sub;
            int flags = sub._flags;
            if ((flags & (NodeFlags.Pending | NodeFlags.Dirty)) == NodeFlags.Pending)
            {
                sub._flags = flags | NodeFlags.Dirty;
                if ((flags & (NodeFlags.Watching | NodeFlags.RecursedCheck)) == NodeFlags.Watching)
                {
                    Enqueue(Unsafe.As<Effect>(sub));
                }
            }

            current = current.NextSub;
        }
        while (current is not null);
    }

    /// <summary>
    /// Walks the pending dependencies of <paramref name="sub"/> depth-first (explicit stack), re-running the
    /// computeds that are really dirty bottom-up; returns whether <paramref name="sub"/> itself must re-run.
    /// </summary>
    internal static bool CheckDirty(Link link, ReactiveNode sub)
    {
        int baseSp = s_checkSp;
        int depth = 0;
        bool dirty = false;
        while (true)
        {
            ReactiveNode dep = link.Dep;
            int flags = dep._flags;
            if ((sub._flags & NodeFlags.Dirty) != 0)
            {
                dirty = true;
            }
            else if ((flags & (NodeFlags.Mutable | NodeFlags.Dirty)) == (NodeFlags.Mutable | NodeFlags.Dirty))
            {
                if (dep.Update())
                {
                    Link subs = dep._subs!;
                    if (subs.NextSub is not null)
                    {
                        ShallowPropagate(subs);
                    }

                    dirty = true;
                }
            }
            else if ((flags & (NodeFlags.Mutable | NodeFlags.Pending)) == (NodeFlags.Mutable | NodeFlags.Pending))
            {
                if (link.NextSub is not null || link.PrevSub is not null)
                {
                    if (s_checkSp == s_checkStack.Length)
                    {
                        Array.Resize(ref s_checkStack, s_checkSp * 2);
                    }

                    s_checkStack[s_checkSp++] = link;
                }

                link = dep._deps!;
                sub = dep;
                ++depth;
                continue;
            }
            else if ((flags & (NodeFlags.Mutable | NodeFlags.RecursedCheck)) == (NodeFlags.Mutable | NodeFlags.RecursedCheck))
            {
                ClearCheckStack(baseSp);
                throw CycleThroughCheck(dep, sub);
            }

            if (!dirty)
            {
                Link? nextDep = link.NextDep;
                if (nextDep is not null)
                {
                    link = nextDep;
                    continue;
                }
            }

            bool resumed = false;
            while (depth-- > 0)
            {
                Link firstSub = sub._subs!;
                bool hasMultipleSubs = firstSub.NextSub is not null;
                if (hasMultipleSubs)
                {
                    link = s_checkStack[--s_checkSp];
                    s_checkStack[s_checkSp] = null!;
                }
                else
                {
                    link = firstSub;
                }

                if (dirty)
                {
                    if (sub.Update())
                    {
                        if (hasMultipleSubs)
                        {
                            ShallowPropagate(firstSub);
                        }

                        sub = link.Sub;
                        continue;
                    }

                    dirty = false;
                }
                else
                {
                    sub._flags &= ~NodeFlags.Pending;
                }

                sub = link.Sub;
                Link? nextDep = link.NextDep;
                if (nextDep is not null)
                {
                    link = nextDep;
                    resumed = true;
                    break;
                }
            }

            if (resumed)
            {
                continue;
            }

            return dirty;
        }
    }

    /// <summary><see cref="CheckDirty"/> from the outermost level: absorbs deferred deep evaluations.</summary>
    internal static bool CheckDirtyFromTop(Link link, ReactiveNode sub)
    {
        while (true)
        {
            int sp = s_checkSp;
            try
            {
                return CheckDirty(link, sub);
            }
            catch (DeferredEvaluation deferred)
            {
                ClearCheckStack(sp);
                RefreshFromTop(deferred.Node);
            }
        }
    }

    /// <summary>
    /// Refreshes <paramref name="root"/> at nesting depth 0. When a nested first evaluation gets too deep it
    /// throws <see cref="DeferredEvaluation"/>; the deeper node is evaluated first, then the outer one retried.
    /// </summary>
    internal static void RefreshFromTop(ReactiveNode root)
    {
        ReactiveNode node = root;
        List<ReactiveNode>? waiting = null;
        while (true)
        {
            int sp = s_checkSp;
            try
            {
                node.RefreshCore();
            }
            catch (DeferredEvaluation deferred)
            {
                ClearCheckStack(sp);
                (waiting ??= []).Add(node);
                node = deferred.Node;
                continue;
            }

            if (waiting is null || waiting.Count == 0)
            {
                return;
            }

            node = waiting[^1];
            waiting.RemoveAt(waiting.Count - 1);
        }
    }

    private static void ClearCheckStack(int baseSp)
    {
        while (s_checkSp > baseSp)
        {
            s_checkStack[--s_checkSp] = null!;
        }
    }

    /// <summary>Ends a tracking run: drops the links past the tail (dependencies not read this time).</summary>
    internal static void PurgeDeps(ReactiveNode sub)
    {
        Link? tail = sub._depsTail;
        Link? link;
        if (tail is not null)
        {
            link = tail.NextDep;
            if (link is null)
            {
                return;
            }

            tail.NextDep = null;
        }
        else
        {
            link = sub._deps;
            if (link is null)
            {
                return;
            }

            sub._deps = null;
        }

        do
        {
            Link? next = link.NextDep;
            UnlinkFromDep(link);
            ReturnLink(link);
            link = next;
        }
        while (link is not null);

        if (s_releaseCount > 0 && !s_releasing)
        {
            ReleaseUnwatched();
        }
    }

    private static void UnlinkFromDep(Link link)
    {
        ReactiveNode dep = link.Dep;
        Link? prevSub = link.PrevSub;
        Link? nextSub = link.NextSub;
        if (nextSub is not null)
        {
            nextSub.PrevSub = prevSub;
        }
        else
        {
            dep._subsTail = prevSub;
        }

        if (prevSub is not null)
        {
            prevSub.NextSub = nextSub;
        }
        else
        {
            dep._subs = nextSub;
            if (nextSub is null && dep._deps is not null)
            {
                // A computed nobody depends on any more: detach it from its sources (iteratively, below).
                if (s_releaseCount == s_release.Length)
                {
                    Array.Resize(ref s_release, s_releaseCount * 2);
                }

                s_release[s_releaseCount++] = dep;
            }
        }
    }

    private static void ReleaseUnwatched()
    {
        s_releasing = true;
        try
        {
            while (s_releaseCount > 0)
            {
                ReactiveNode node = s_release[--s_releaseCount];
                s_release[s_releaseCount] = null!;
                if (node._subs is not null || (node._flags & NodeFlags.RecursedCheck) != 0)
                {
                    continue;
                }

                Link? link = node._deps;
                node._deps = null;
                node._depsTail = null;
                node._flags = (node._flags & ~(NodeFlags.Pending | NodeFlags.Recursed)) | NodeFlags.Dirty;
                while (link is not null)
                {
                    Link? next = link.NextDep;
                    UnlinkFromDep(link);
                    ReturnLink(link);
                    link = next;
                }
            }
        }
        finally
        {
            s_releasing = false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Link RentLink()
    {
        Link? link = s_linkPool;
        if (link is null)
        {
            return new Link();
        }

        s_linkPool = link.NextDep;
        s_linkPoolCount--;
        return link;
    }

    private static void ReturnLink(Link link)
    {
        link.Dep = null!;
        link.Sub = null!;
        link.PrevSub = null;
        link.NextSub = null;
        if (s_linkPoolCount < LinkPoolLimit)
        {
            link.NextDep = s_linkPool;
            s_linkPool = link;
            s_linkPoolCount++;
        }
        else
        {
            link.NextDep = null;
        }
    }

    internal static void Enqueue(Effect effect)
    {
        int flags = effect._flags;
        if ((flags & (NodeFlags.Queued | NodeFlags.Disposed)) != 0)
        {
            return;
        }

        effect._flags = flags | NodeFlags.Queued;
        if (s_queueCount == s_queue.Length)
        {
            Array.Resize(ref s_queue, s_queueCount * 2);
        }

        s_queue[s_queueCount++] = effect;
    }

    /// <summary>Flushes effects after a write if no batch or flush is in progress.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void FlushIfIdle()
    {
        if (s_batchDepth == 0 && !s_flushing && s_queueHead < s_queueCount)
        {
            Flush();
        }
    }

    /// <summary>Runs queued effects in notification order; effects queued meanwhile run in the same loop.</summary>
    internal static void Flush()
    {
        s_flushing = true;
        long epoch = ++s_flushEpoch;
        try
        {
            while (s_queueHead < s_queueCount)
            {
                Effect effect = s_queue[s_queueHead]!;
                if (effect._flushEpoch != epoch)
                {
                    effect._flushEpoch = epoch;
                    effect._flushRuns = 0;
                }

                if (++effect._flushRuns > EffectLoopLimit)
                {
                    effect._flushRuns = 0;
                    throw EffectLoop(effect); // it stays queued: the next flush resumes there
                }

                s_queue[s_queueHead++] = null;
                effect._flags &= ~NodeFlags.Queued;
                effect.RunIfDirty();
            }

            s_queueHead = 0;
            s_queueCount = 0;
        }
        finally
        {
            s_flushing = false;
        }
    }

    private static InvalidOperationException EffectLoop(Effect effect) =>
        new($"Effect '{effect.Label}' ran more than {EffectLoopLimit} times in one flush: effects keep writing signals that re-trigger them. The effect stays queued; dispose it or break the loop.");

    /// <summary>Builds the exception for a computed read while it is itself computing.</summary>
    internal static CyclicDerivationException CycleThroughRead(ReactiveNode computing)
    {
        // The reader is the running node; follow "who evaluated whom" back up to the node being read.
        List<string> chain = Ancestry(s_activeSub, computing);
        chain.Add(computing.Label);
        return new CyclicDerivationException(chain);
    }

    private static CyclicDerivationException CycleThroughCheck(ReactiveNode computing, ReactiveNode dependent)
    {
        // Found while re-validating: `dependent` (pending) depends on the running `computing`, and is read
        // (maybe through other pending nodes, which the message omits) by the running node chain.
        List<string> chain = Ancestry(s_activeSub, computing);
        if (dependent != s_activeSub)
        {
            chain.Add(dependent.Label);
        }

        chain.Add(computing.Label);
        return new CyclicDerivationException(chain);
    }

    private static List<string> Ancestry(ReactiveNode? from, ReactiveNode until)
    {
        // Follows "who asked whom to evaluate" from the running node back to `until`. Links recorded by
        // earlier evaluations can be stale, so the walk is bounded and falls back to the direct pair.
        var reversed = new List<string>();
        ReactiveNode? node = from;
        bool found = false;
        for (int hops = 0; node is not null && hops < 256; hops++)
        {
            if (node == until)
            {
                found = true;
                break;
            }

            reversed.Add(node.Label);
            node = node._evalParent;
        }

        if (!found)
        {
            reversed.Clear();
            if (from is not null && from != until)
            {
                reversed.Add(from.Label);
            }
        }

        reversed.Add(until.Label);
        reversed.Reverse();
        return reversed;
    }

    // TEMPORARY (lead's branch): the narrow API the signals helper is adding; replaced by theirs at merge.
    internal static bool IsTracking => s_activeSub is not null;

    internal static void BeginBatch() => s_batchDepth++;

    internal static void EndBatch()
    {
        s_batchDepth--;
        FlushIfIdle();
    }

    [ThreadStatic]
    private static Queue<(Action<object?> Work, object? State)>? t_afterExit;

    internal static void RunAfterExit(Action<object?> work, object? state)
    {
        if (!t_holdsGate)
        {
            work(state);
            return;
        }

        (t_afterExit ??= new Queue<(Action<object?>, object?)>()).Enqueue((work, state));
    }

}
