namespace ReactiveStore.Signals;

/// <summary>
/// One dependency edge, a member of two intrusive lists at once: the subscriber's dependency list
/// (singly linked through <see cref="NextDep"/>, in read order) and the dependency's subscriber list
/// (doubly linked through <see cref="PrevSub"/> / <see cref="NextSub"/>). Links are reused across runs
/// and recycled through a small pool, so a steady-state update allocates nothing. A link of an unsubscribed
/// computed is in its dependency list only (<see cref="PrevSub"/> / <see cref="NextSub"/> null, not in the
/// dependency's subscriber list), so nothing upstream keeps that computed alive.
/// </summary>
internal sealed class Link
{
    public ReactiveNode Dep = null!;
    public ReactiveNode Sub = null!;
    public Link? NextDep;
    public Link? PrevSub;
    public Link? NextSub;

    /// <summary>The dependency's <see cref="ReactiveNode._version"/> the subscriber saw when it last read it.</summary>
    public long Version;
}
