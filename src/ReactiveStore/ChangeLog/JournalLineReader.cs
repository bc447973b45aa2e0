namespace ReactiveStore;

/// <summary>Reads a journal forward one line at a time, holding one buffer and the current line in memory (never the file).</summary>
/// <remarks>Opened with <see cref="FileShare.ReadWrite"/>, so it reads a journal a writer holds open (in this process or
/// another). A line is valid until the next call to <see cref="ReadLineAsync"/> or <see cref="IsAtEndAsync"/>.</remarks>
internal sealed class JournalLineReader : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private readonly int _maxLineLength;
    private byte[] _carry = [];
    private int _carryLength;
    private long _oversizedLength = -1;

    private JournalLineReader(FileStream stream, int maxLineLength)
    {
        _stream = stream;
        _maxLineLength = maxLineLength;
    }

    /// <summary>Gets the line last read, without its line break.</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>Gets whether the line last read ended with a line break (only the file's last line can lack one).</summary>
    public bool HasLineBreak { get; private set; }

    /// <summary>Gets the length of the line last read when it was longer than the reader holds (its bytes were skipped and
    /// <see cref="Line"/> is empty), else -1.</summary>
    public long OversizedLength => _oversizedLength;

    /// <summary>Opens the journal at <paramref name="path"/> for reading.</summary>
    /// <param name="path">The journal file.</param>
    /// <param name="maxLineLength">The longest line to hold in memory; a longer one is skipped and reported by its length
    /// (the default is the longest array .NET allows).</param>
    /// <exception cref="FileNotFoundException">There is no journal at <paramref name="path"/>.</exception>
    public static JournalLineReader Open(string path, int maxLineLength = 0)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return new JournalLineReader(stream, maxLineLength > 0 ? maxLineLength : Array.MaxLength);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"There is no journal at '{path}': nothing was ever appended to it, or the path is wrong.", path, ex);
        }
    }

    /// <summary>Reads the next line into <see cref="Line"/>.</summary>
    /// <returns>Whether there was a line (false at the end of the file).</returns>
    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        _carryLength = 0;
        _oversizedLength = -1;
        while (true)
        {
            if (_start < _end)
            {
                int index = _buffer.AsSpan(_start, _end - _start).IndexOf(JournalLine.LineBreak);
                if (index >= 0)
                {
                    if (_carryLength == 0 && _oversizedLength < 0 && index <= _maxLineLength)
                    {
                        Line = _buffer.AsMemory(_start, index);
                    }
                    else
                    {
                        Carry(_buffer.AsSpan(_start, index));
                        Line = _oversizedLength < 0 ? _carry.AsMemory(0, _carryLength) : ReadOnlyMemory<byte>.Empty;
                    }

                    _start += index + 1;
                    HasLineBreak = true;
                    return true;
                }

                // A line longer than what is buffered: keep its start and read on.
                Carry(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_carryLength == 0 && _oversizedLength < 0)
                {
                    return false;
                }

                Line = _oversizedLength < 0 ? _carry.AsMemory(0, _carryLength) : ReadOnlyMemory<byte>.Empty;
                HasLineBreak = false;
                return true;
            }
        }
    }

    /// <summary>Tells whether the file has no byte after the line last read (reading ahead if needed).</summary>
    public async ValueTask<bool> IsAtEndAsync(CancellationToken cancellationToken) =>
        _start >= _end && !await FillAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the file.</summary>
    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }

    private void Carry(ReadOnlySpan<byte> bytes)
    {
        if (_oversizedLength >= 0 || (long)_carryLength + bytes.Length > _maxLineLength)
        {
            // Too long to hold: count the rest of the line instead of keeping it.
            _oversizedLength = (_oversizedLength < 0 ? _carryLength : _oversizedLength) + bytes.Length;
            _carryLength = 0;
            return;
        }

        if (_carry.Length - _carryLength < bytes.Length)
        {
            long wanted = Math.Clamp((long)_carry.Length * 2, Math.Min(BufferSize, _maxLineLength), _maxLineLength);
            Array.Resize(ref _carry, (int)Math.Max(wanted, (long)_carryLength + bytes.Length));
        }

        bytes.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength += bytes.Length;
    }
}
