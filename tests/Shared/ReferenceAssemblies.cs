using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using ReactiveStore;

namespace ReactiveStore.Tests.Shared;

/// <summary>The metadata references a test compilation of user code needs: the framework, logging abstractions and the
/// ReactiveStore runtime. Linked into the generator and analyzer test projects.</summary>
internal static class ReferenceAssemblies
{
    /// <summary>Loads the references from the test host's trusted platform assemblies.</summary>
    public static ImmutableArray<MetadataReference> Load()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (string path in trusted.Split(Path.PathSeparator))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard"
                || name.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal) || name == "Microsoft.Win32.Primitives")
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        references.Add(MetadataReference.CreateFromFile(typeof(StateStore).Assembly.Location));
        return references.ToImmutable();
    }
}
