using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ReactiveStore.Signals;

/// <summary>
/// The engine: one process-wide graph of signals, computeds and effects, push-pull with dirty/pending
/// flags over intrusive links (after alien-signals) and explicit stacks instead of recursion. Only observed
/// nodes are linked both ways; an unobserved computed keeps forward links with the versions it saw and
/// re-validates by comparing them when read (after Preact), so its sources do not keep it alive.
/// </summary>
/// <remarks>
/// Threading: every field here, and every graph field of every node, is touched only while holding
/// <see cref="Gate"/> (a <see cref="Lock"/>). Public entry points take it through <see cref="Enter"/>; nested reads inside a
/// computation see that their thread already owns it and skip it. Effects and <see cref="Signals.EffectFailed"/> handlers run under it.
/// The store uses the narrow surface <see cref="BeginBatch"/>, <see cref="EndBatch"/>, <see cref="IsTracking"/>,
/// <see cref="RunAfterExit"/> and <see cref="ReactiveNode.HasSubscribers"/>.
/// </remarks>
internal static class SignalGraph
{
    /// <summary>Serializes every write, recomputation and effect run in the process.</summary>
    internal static readonly Lock Gate = new();

    // Whether this thread holds Gate. Nested reads inside a computation see it and skip the lock; a
    // [ThreadStatic] bool is cheaper to read than Environment.CurrentManagedThreadId.
    [ThreadStatic]
    private static bool t_holdsGate;

    // Work queued by RunAfterExit while this thread holds Gate; null when nothing is queued, so Exit pays one
    // thread-static null check.
    [ThreadStatic]
    private static Queue<DeferredWork>? t_afterExit;

    // Whether this thread is running queued after-exit work (nested exits leave the draining to that loop).
    [ThreadStatic]
    private static bool t_drainingAfterExit;

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

    // Bumped by every signal write that changes a value: an unsubscribed computed validated at the current
    // value knows in O(1) that nothing it could depend on changed.
    internal static long s_globalVersion;

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

    private static ReactiveNode[] s_subscribeStack = new ReactiveNode[16];
    private static List<ReactiveNode>? s_staleOnSubscribe;

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

    /// <summary>Releases the engine lock taken by <see cref="Enter"/>, then runs the work this thread queued with <see cref="RunAfterExit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Exit()
    {
        t_holdsGate = false;
        Gate.Exit();
        if (t_afterExit is not null)
        {
            DrainAfterExit();
        }
    }

    /// <summary>Gets whether a computation (computed or effect) is collecting dependencies on this thread.</summary>
    internal static bool IsTracking => t_holdsGate && s_activeSub is not null;

    /// <summary>Opens a batch: effects triggered by writes wait until the outermost batch ends. Caller holds the engine lock.</summary>
    internal static void BeginBatch()
    {
        Debug.Assert(t_holdsGate, "BeginBatch: hold the engine lock.");
        s_batchDepth++;
    }

    /// <summary>Closes a batch opened by <see cref="BeginBatch"/>; the outermost one runs the queued effects. Caller holds the engine lock.</summary>
    internal static void EndBatch()
    {
        Debug.Assert(t_holdsGate, "EndBatch: hold the engine lock.");
        Debug.Assert(s_batchDepth > 0, "EndBatch without BeginBatch.");
        s_batchDepth--;
        FlushIfIdle();
    }

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="state"/> right after this thread's outermost release of the
    /// engine lock, outside it, in the order queued; at once if this thread does not hold the lock.
    /// </summary>
    /// <remarks>
    /// Work queued while queued work runs joins the same drain loop. An exception from one item does not stop the
    /// others: the single exception is rethrown as is, several as one <see cref="AggregateException"/>, from the
    /// <see cref="Exit"/> that ran them.
    /// </remarks>
    internal static void RunAfterExit(Action<object?> work, object? state)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!t_holdsGate)
        {
            work(state);
            return;
        }

        (t_afterExit ??= new Queue<DeferredWork>()).Enqueue(new DeferredWork(work, state));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DrainAfterExit()
    {
        if (t_drainingAfterExit)
        {
            return; // an item took and released the lock: the loop below picks up what it queued
        }

        t_drainingAfterExit = true;
        List<Exception>? failures = null;
        try
        {
            while (t_afterExit is { } queue)
            {
                if (!queue.TryDequeue(out DeferredWork item))
                {
                    t_afterExit = null;
                    break;
                }

                try
                {
                    item.Work(item.State);
                }
                catch (Exception ex)
                {
                    (failures ??= []).Add(ex);
                }
            }
        }
        finally
        {
            t_drainingAfterExit = false;
        }

        if (failures is not null)
        {
            if (failures.Count == 1)
            {
                ExceptionDispatchInfo.Throw(failures[0]);
            }

            throw new AggregateException("Work queued to run after the engine lock was released failed.", failures);
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
            nextDep.Version = dep._version;
            sub._depsTail = nextDep;
            return;
        }

        Link link = RentLink();
        link.Dep = dep;
        link.Sub = sub;
        link.NextDep = nextDep;
        link.Version = dep._version;
        if (prevDep is not null)
        {
            prevDep.NextDep = link;
        }
        else
        {
            sub._deps = link;
        }

        sub._depsTail = link;
        if ((sub._flags & NodeFlags.Subscribed) != 0)
        {
            AddSubscriber(dep, link);
        }
    }

    private static void AddSubscriber(ReactiveNode dep, Link link)
    {
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
        if ((dep._flags & NodeFlags.Subscribed) == 0)
        {
            Subscribe(dep);
        }
    }

    /// <summary>
    /// <paramref name="node"/> (an unsubscribed computed) just got its first subscriber: puts its links, and those
    /// of every unsubscribed computed below it, into their dependencies' subscriber lists (explicit stack).
    /// </summary>
    /// <remarks>
    /// The node was re-validated by the read that links it, and so was everything below it. A node validated before
    /// the latest write (a computation wrote a signal meanwhile) may be stale: it is marked dirty and its new
    /// subscribers pending, as a write would have done had it been subscribed then.
    /// </remarks>
    private static void Subscribe(ReactiveNode node)
    {
        long global = s_globalVersion;
        ReactiveNode[] stack = s_subscribeStack;
        int sp = 0;
        node._flags |= NodeFlags.Subscribed;
        stack[sp++] = node;
        while (sp > 0)
        {
            ReactiveNode current = stack[--sp];
            stack[sp] = null!;
            if (current._globalVersion != global || (current._flags & NodeFlags.Dirty) != 0)
            {
                (s_staleOnSubscribe ??= []).Add(current);
            }

            for (Link? link = current._deps; link is not null; link = link.NextDep)
            {
                ReactiveNode dep = link.Dep;
                Link? prevSub = dep._subsTail;
                link.PrevSub = prevSub;
                link.NextSub = null;
                if (prevSub is not null)
                {
                    prevSub.NextSub = link;
                }
                else
                {
                    dep._subs = link;
                }

                dep._subsTail = link;
                if ((dep._flags & NodeFlags.Subscribed) == 0)
                {
                    dep._flags |= NodeFlags.Subscribed;
                    if (sp == stack.Length)
                    {
                        Array.Resize(ref s_subscribeStack, sp * 2);
                        stack = s_subscribeStack;
                    }

                    stack[sp++] = dep;
                }
            }
        }

        List<ReactiveNode>? stale = s_staleOnSubscribe;
        if (stale is not null && stale.Count > 0)
        {
            s_staleOnSubscribe = null;
            foreach (ReactiveNode staleNode in stale)
            {
                staleNode._flags |= NodeFlags.Dirty;
                Link? subs = staleNode._subs;
                if (subs is not null)
                {
                    Propagate(subs);
                }
            }
        }
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

        bool subscribed = (sub._flags & NodeFlags.Subscribed) != 0;
        do
        {
            Link? next = link.NextDep;
            if (subscribed)
            {
                UnlinkFromDep(link);
            }

            ReturnLink(link);
            link = next;
        }
        while (link is not null);

        if (s_releaseCount > 0 && !s_releasing)
        {
            ReleaseUnwatched();
        }
    }

    /// <summary>A subscribed computed found without subscribers after its own run (it lost them while running): release it now.</summary>
    internal static void ReleaseAfterRun(ReactiveNode node)
    {
        PushRelease(node);
        if (!s_releasing)
        {
            ReleaseUnwatched();
        }
    }

    private static void PushRelease(ReactiveNode node)
    {
        if (s_releaseCount == s_release.Length)
        {
            Array.Resize(ref s_release, s_releaseCount * 2);
        }

        s_release[s_releaseCount++] = node;
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
                // A computed nobody depends on any more: unsubscribe it from its sources (iteratively, below).
                PushRelease(dep);
            }
        }
    }

    /// <summary>
    /// Unsubscribes the computeds that lost their last subscriber: their links leave their dependencies' subscriber
    /// lists (which may release those in turn) but stay in their own dependency lists with the versions last seen,
    /// so the cached value survives and the next read re-validates it by versions.
    /// </summary>
    private static void ReleaseUnwatched()
    {
        s_releasing = true;
        try
        {
            while (s_releaseCount > 0)
            {
                ReactiveNode node = s_release[--s_releaseCount];
                s_release[s_releaseCount] = null!;
                int flags = node._flags;
                if (node._subs is not null || (flags & (NodeFlags.RecursedCheck | NodeFlags.Subscribed | NodeFlags.Watching)) != NodeFlags.Subscribed)
                {
                    continue; // observed again, running (released after its run), already released, or an effect
                }

                node._flags = flags & ~(NodeFlags.Subscribed | NodeFlags.Pending | NodeFlags.Recursed);
                node._globalVersion = -1; // a pending write may not be acknowledged yet: compare versions on the next read
                for (Link? link = node._deps; link is not null; link = link.NextDep)
                {
                    UnlinkFromDep(link);
                    link.PrevSub = null;
                    link.NextSub = null;
                }
            }
        }
        finally
        {
            s_releasing = false;
        }
    }

    /// <summary>
    /// Brings an unsubscribed computed up to date by versions: walks its dependencies depth-first (explicit stack),
    /// descending into unsubscribed computeds not validated since the last write, refreshing subscribed ones by
    /// flags and acknowledging written signals; a node re-runs only if a dependency's version differs from the one
    /// it recorded, and a node whose dependencies all match is valid again without running.
    /// </summary>
    /// <remarks>
    /// Nodes being walked carry <see cref="NodeFlags.RecursedCheck"/> (a computation that reads one of them while it
    /// is being validated is a cycle) and <see cref="ReactiveNode._evalParent"/> (to name that cycle).
    /// </remarks>
    internal static void Validate(ReactiveNode root)
    {
        int rootFlags = root._flags;
        if ((rootFlags & NodeFlags.Dirty) != 0)
        {
            root.Update(); // never evaluated, or known stale
            return;
        }

        long global = s_globalVersion;
        Link? first = root._deps;
        if (first is null)
        {
            root._globalVersion = global; // reads nothing: its value cannot change
            return;
        }

        if (root._globalVersion == global)
        {
            return;
        }

        int baseSp = s_checkSp;
        ReactiveNode sub = root;
        Link link = first;
        root._flags = rootFlags | NodeFlags.RecursedCheck;
        bool finished = false;
        try
        {
            while (true)
            {
                // Bring link.Dep up to date (or descend into it).
                ReactiveNode dep = link.Dep;
                int flags = dep._flags;
                if ((flags & NodeFlags.RecursedCheck) != 0)
                {
                    throw CycleThroughWalk(dep, sub);
                }

                if ((flags & NodeFlags.Subscribed) == 0)
                {
                    if ((flags & NodeFlags.Dirty) != 0)
                    {
                        dep._evalParent = sub;
                        dep.Update();
                        dep._evalParent = null;
                    }
                    else if (dep._globalVersion != global && dep._deps is not null)
                    {
                        if (s_checkSp == s_checkStack.Length)
                        {
                            Array.Resize(ref s_checkStack, s_checkSp * 2);
                        }

                        s_checkStack[s_checkSp++] = link;
                        dep._flags = flags | NodeFlags.RecursedCheck;
                        dep._evalParent = sub;
                        sub = dep;
                        link = dep._deps;
                        continue;
                    }
                }
                else if ((flags & NodeFlags.Dirty) != 0)
                {
                    // A written signal not yet acknowledged, or a subscribed computed known to be stale.
                    if (dep.Update())
                    {
                        Link? subs = dep._subs;
                        if (subs is not null)
                        {
                            ShallowPropagate(subs);
                        }
                    }
                }
                else if ((flags & NodeFlags.Pending) != 0)
                {
                    dep.RefreshCore();
                }

                // link.Dep is up to date: compare, and unwind while the answer for the node above is known.
                while (true)
                {
                    if (link.Dep._version != link.Version)
                    {
                        sub._flags &= ~NodeFlags.RecursedCheck;
                        sub.Update(); // records the new versions and the global version it ran at
                    }
                    else if (link.NextDep is { } next)
                    {
                        link = next;
                        break;
                    }
                    else
                    {
                        sub._flags &= ~NodeFlags.RecursedCheck;
                        sub._globalVersion = global;
                    }

                    if (sub != root)
                    {
                        sub._evalParent = null;
                    }

                    if (s_checkSp == baseSp)
                    {
                        finished = true;
                        return;
                    }

                    link = s_checkStack[--s_checkSp];
                    s_checkStack[s_checkSp] = null!;
                    sub = link.Sub;
                }
            }
        }
        finally
        {
            if (!finished)
            {
                // A cycle or a deferred deep evaluation: unmark the nodes still being walked.
                for (ReactiveNode? node = sub; node is not null; node = node._evalParent)
                {
                    node._flags &= ~NodeFlags.RecursedCheck;
                    if (node == root)
                    {
                        break;
                    }
                }

                ClearCheckStack(baseSp);
            }
        }
    }

    /// <summary>
    /// Detaches a computed being disposed: its links leave its dependencies' subscriber lists (releasing what only it
    /// observed) and its subscribers' dependency lists. Links are dropped, not pooled: a suspended walk may still hold one.
    /// </summary>
    internal static void Detach(ReactiveNode node)
    {
        bool subscribed = (node._flags & NodeFlags.Subscribed) != 0;
        node._flags = NodeFlags.Mutable | NodeFlags.Disposed;
        for (Link? link = node._deps; link is not null; link = link.NextDep)
        {
            if (subscribed)
            {
                UnlinkFromDep(link);
            }

            link.PrevSub = null;
            link.NextSub = null;
        }

        node._deps = null;
        node._depsTail = null;
        for (Link? link = node._subs; link is not null; link = link.NextSub)
        {
            RemoveDependency(link.Sub, link);
        }

        node._subs = null;
        node._subsTail = null;
        node._evalParent = null;
        if (s_releaseCount > 0 && !s_releasing)
        {
            ReleaseUnwatched();
        }
    }

    private static void RemoveDependency(ReactiveNode sub, Link link)
    {
        Link? previous = null;
        Link? current = sub._deps;
        while (current is not null && current != link)
        {
            previous = current;
            current = current.NextDep;
        }

        if (current is null)
        {
            return;
        }

        if (previous is null)
        {
            sub._deps = link.NextDep;
        }
        else
        {
            previous.NextDep = link.NextDep;
        }

        if (sub._depsTail == link)
        {
            sub._depsTail = previous;
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

    /// <summary>Records a signal write: bumps the global version that unsubscribed computeds compare against.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void NoteWrite() => s_globalVersion++;

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

    private static CyclicDerivationException CycleThroughWalk(ReactiveNode computing, ReactiveNode walked)
    {
        // Found while re-validating by versions: the walked node's parents lead back to the one being read, and the
        // running (or walked) `computing` closes the loop.
        List<string> chain = Ancestry(walked, computing);
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

    /// <summary>One item queued by <see cref="RunAfterExit"/>.</summary>
    private readonly record struct DeferredWork(Action<object?> Work, object? State);
}
