using System.Text;

namespace ReactiveStore.Generators.Helpers;

/// <summary>Writes indented source text with <c>\n</c> line endings into a pooled <see cref="StringBuilder"/>.</summary>
internal sealed class IndentedTextWriter : IDisposable
{
    private const string IndentUnit = "    ";

    [ThreadStatic]
    private static StringBuilder? s_cached;

    private readonly StringBuilder _builder;
    private int _indent;

    public IndentedTextWriter()
    {
        _builder = s_cached ?? new StringBuilder(16 * 1024);
        s_cached = null;
    }

    /// <summary>Increases the indentation until the returned scope is disposed.</summary>
    public IndentScope Indent()
    {
        _indent++;
        return new IndentScope(this);
    }

    /// <summary>Writes <c>{</c>, indents, and on dispose writes the matching <c>}</c> (plus <paramref name="closingSuffix"/>).</summary>
    public BlockScope Block(string closingSuffix = "")
    {
        WriteLine("{");
        _indent++;
        return new BlockScope(this, closingSuffix);
    }

    public void WriteLine() => _builder.Append('\n');

    public void WriteLine(string line)
    {
        if (line.Length > 0)
        {
            for (int i = 0; i < _indent; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(line);
        }

        _builder.Append('\n');
    }

    /// <summary>Writes several lines (a raw string literal), each at the current indentation.</summary>
    public void WriteLines(string text)
    {
        int start = 0;
        text = text.Replace("\r\n", "\n");
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            WriteLine(text.Substring(start, end - start));
            start = end + 1;
        }
    }

    public override string ToString() => _builder.ToString();

    public void Dispose()
    {
        _builder.Clear();
        if (_builder.Capacity <= 256 * 1024)
        {
            s_cached = _builder;
        }
    }

    internal readonly struct IndentScope(IndentedTextWriter writer) : IDisposable
    {
        public void Dispose() => writer._indent--;
    }

    internal readonly struct BlockScope(IndentedTextWriter writer, string closingSuffix) : IDisposable
    {
        public void Dispose()
        {
            writer._indent--;
            writer.WriteLine("}" + closingSuffix);
        }
    }
}
