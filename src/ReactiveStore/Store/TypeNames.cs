using System.Text;

namespace ReactiveStore;

/// <summary>Formats type names the way C# code writes them, for error messages.</summary>
internal static class TypeNames
{
    public static string Format(Type type)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Format(underlying) + "?";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var builder = new StringBuilder();
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        builder.Append(tick < 0 ? name : name[..tick]).Append('<');
        Type[] arguments = type.GetGenericArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append(Format(arguments[i]));
        }

        return builder.Append('>').ToString();
    }
}
