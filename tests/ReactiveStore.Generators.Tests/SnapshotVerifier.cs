using System.Runtime.CompilerServices;

namespace ReactiveStore.Generators.Tests;

/// <summary>
/// A small received/verified comparer: the generated text must equal <c>Snapshots/&lt;name&gt;.verified.txt</c>. On a mismatch
/// (or a missing verified file) it writes <c>&lt;name&gt;.received.txt</c> next to it and fails; review it and rename it to accept.
/// </summary>
internal static class SnapshotVerifier
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        string verified = Path.Combine(directory, name + ".verified.txt");
        string received = Path.Combine(directory, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) == actual)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(received, actual);
        Assert.Fail(File.Exists(verified)
            ? $"The generated source differs from {verified}; see {received}. If the change is intended, rename the received file to .verified.txt."
            : $"No verified snapshot for '{name}'; review {received} and rename it to .verified.txt.");
    }

    /// <summary>Joins generated files into one text, each under a header naming its hint name.</summary>
    public static string Join(IReadOnlyList<(string HintName, string Source)> sources) =>
        string.Concat(sources.Select(static s => "//----- " + s.HintName + "\n" + s.Source));
}
