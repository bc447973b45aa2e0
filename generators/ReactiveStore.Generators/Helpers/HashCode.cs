namespace ReactiveStore.Generators.Helpers;

/// <summary>A small, deterministic hash combiner (netstandard2.0 has no <c>System.HashCode</c>).</summary>
internal static class HashCode
{
    public static int Combine(int first, int second)
    {
        unchecked
        {
            return (first * -1521134295) + second;
        }
    }
}
