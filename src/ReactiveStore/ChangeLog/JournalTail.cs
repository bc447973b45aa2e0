using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ReactiveStore;

/// <summary>Finds the last readable record of a journal by reading it backward from its end, one line at a time: opening
/// a journal costs the size of its last lines, not of the file.</summary>
/// <remarks>A line counts only when it ends with a line break and <see cref="JournalLine.TryParse"/> reads it; anything
/// after the last such line (a torn write, or lines that are not records) is not data.</remarks>
internal sealed class JournalTail : IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly SafeFileHandle _file;
    private byte[] _window;
    private long _windowStart;
    private int _windowLength;

    private JournalTail(SafeFileHandle file)
    {
        _file = file;
        _window = ArrayPool<byte>.Shared.Rent(ChunkSize);
    }

    /// <summary>Finds the last readable record in the first <paramref name="end"/> bytes whose version is at most <paramref name="maxVersion"/>.</summary>
    /// <param name="file">The journal, opened for reading.</param>
    /// <param name="end">Where to start looking backward from (the file's length, or less).</param>
    /// <param name="maxVersion">The greatest version to accept (<see cref="long.MaxValue"/> for the last record).</param>
    /// <returns>The record's version and the offset just past its line break; (0, 0) when there is none.</returns>
    /// <exception cref="EndOfStreamException">The file became shorter while it was read (another process truncated it).</exception>
    public static (long Version, long End) FindLastRecord(SafeFileHandle file, long end, long maxVersion)
    {
        using var tail = new JournalTail(file);
        return tail.Find(end, maxVersion);
    }

    /// <summary>Returns the window to the pool.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_window);
        _window = [];
    }

    private (long Version, long End) Find(long end, long maxVersion)
    {
        long lineBreak = FindPreviousLineBreak(end);
        while (lineBreak >= 0)
        {
            long start = FindPreviousLineBreak(lineBreak) + 1;
            if (TryReadVersion(start, lineBreak, out long version) && version <= maxVersion)
            {
                return (version, lineBreak + 1);
            }

            lineBreak = start - 1;
        }

        return (0, 0);
    }

    /// <summary>Finds the last line break before <paramref name="end"/>, or -1.</summary>
    private long FindPreviousLineBreak(long end)
    {
        long position = end;
        while (position > 0)
        {
            if (position <= _windowStart || position > _windowStart + _windowLength)
            {
                int length = (int)Math.Min(ChunkSize, position);
                _windowStart = position - length;
                _windowLength = length;
                ReadExactly(_window.AsSpan(0, length), _windowStart);
            }

            int index = _window.AsSpan(0, (int)(position - _windowStart)).LastIndexOf(JournalLine.LineBreak);
            if (index >= 0)
            {
                return _windowStart + index;
            }

            position = _windowStart;
        }

        return -1;
    }

    private bool TryReadVersion(long start, long end, out long version)
    {
        long length = end - start;
        if (length > Array.MaxLength)
        {
            version = 0;
            return false;
        }

        ReadOnlySpan<byte> line;
        if (start >= _windowStart && end <= _windowStart + _windowLength)
        {
            line = _window.AsSpan((int)(start - _windowStart), (int)length);
        }
        else
        {
            byte[] bytes = new byte[length];
            ReadExactly(bytes, start);
            line = bytes;
        }

        bool ok = JournalLine.TryParse(line, out ChangeRecord? record, out _);
        version = ok ? record!.Version : 0;
        return ok;
    }

    private void ReadExactly(Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(_file, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException("The journal became shorter while its end was read (another process truncated it).");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
