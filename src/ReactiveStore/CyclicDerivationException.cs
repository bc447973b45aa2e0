using System;
using System.Collections.Generic;

namespace ReactiveStore;

/// <summary>Thrown when a derived value reads its own output, directly or through other derived values.</summary>
public class CyclicDerivationException : InvalidOperationException
{
    private static readonly string[] s_noCycle = [];

    /// <summary>Creates the exception with a default message and an empty cycle.</summary>
    public CyclicDerivationException()
        : base("A derived value depends on its own output.")
    {
        Cycle = s_noCycle;
    }

    /// <summary>Creates the exception with a message and an empty cycle.</summary>
    public CyclicDerivationException(string message)
        : base(message)
    {
        Cycle = s_noCycle;
    }

    /// <summary>Creates the exception with a message, an inner exception and an empty cycle.</summary>
    public CyclicDerivationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Cycle = s_noCycle;
    }

    /// <summary>Creates the exception for a cycle, listed from the first node back to itself (for example <c>Total, Discount, Total</c>).</summary>
    public CyclicDerivationException(IReadOnlyList<string> cycle)
        : base(FormatMessage(cycle))
    {
        Cycle = cycle;
    }

    /// <summary>The nodes forming the cycle, in dependency order, ending with the node it started from.</summary>
    public IReadOnlyList<string> Cycle { get; }

    private static string FormatMessage(IReadOnlyList<string> cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        return "Cyclic derivation: " + string.Join(" \u2192 ", cycle) + ".";
    }
}
