using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;
using ReactiveStore.Storage;

namespace ReactiveStore;

/// <summary>A journal in one append-only file: one line of <see cref="ChangeRecordJson"/> per committed change, in commit
/// order, UTF-8, each ending with <c>\n</c>, readable by hand and by <c>jq -c .</c>.</summary>
/// <remarks>
/// <para>Reading takes no lock: <see cref="ReadAsync"/> and <see cref="LastVersion"/> work on a journal another process (or
/// another instance) is writing, and on one nobody has open. The first write (<see cref="Append"/>, <see cref="TruncateTo"/>
/// or <see cref="TruncateAfter"/>) opens the file for writing: it creates the file and its folder if missing, takes the
/// writer's lock (<c>&lt;path&gt;.lock</c> held open exclusively, so a second writer, in this process or another, gets
/// <see cref="StorageLockedException"/>), and cuts away everything after the last readable record: a line cut off by a
/// crash (no <c>\n</c> at its end, or not a record) is never data and is never continued. The lock is held until
/// <see cref="Dispose"/>; the lock file stays behind (it is empty).</para>
/// <para>The end of the journal is found by reading it backward from its end, one line at a time, so opening costs the
/// size of the last lines, not of the file.</para>
/// <para>Thread-safe; writes are serialized. A reader running while the writer appends sees a prefix of the journal,
/// possibly ending in a line still being written (reported as a problem on the last line).</para>
/// </remarks>
public sealed class FileJournal : IChangeJournal
{
    private const int RetainedBufferBytes = 1 << 20;

    private readonly Lock _gate = new();
    private ArrayBufferWriter<byte> _buffer = new(4096);
    private FileStream? _lockFile;
    private SafeFileHandle? _file;
    private long _length;
    private long _lastVersion;
    private bool _tailDirty;
    private int _disposed;

    /// <summary>Creates a journal over the file at <paramref name="path"/>, fsyncing every append.</summary>
    /// <param name="path">The journal file (conventionally <c>journal.jsonl</c>); created with its folder on the first write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, is not a valid path, or names a folder.</exception>
    public FileJournal(string path)
        : this(path, FileJournalOptions.Default)
    {
    }

    /// <summary>Creates a journal over the file at <paramref name="path"/>.</summary>
    /// <param name="path">The journal file (conventionally <c>journal.jsonl</c>); created with its folder on the first write.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, is not a valid path, or names a folder.</exception>
    public FileJournal(string path, FileJournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        FilePath = FullPathOf(path);
        LockFilePath = FilePath + ".lock";
        Options = options;
    }

    /// <summary>Gets the full path of the journal file.</summary>
    public string FilePath { get; }

    /// <summary>Gets the full path of the lock file the writer holds (<c>&lt;path&gt;.lock</c>).</summary>
    public string LockFilePath { get; }

    /// <summary>Gets the options.</summary>
    public FileJournalOptions Options { get; }

    /// <summary>Gets whether this instance has the file open for writing (and holds the writer's lock): from its first write until <see cref="Dispose"/>.</summary>
    public bool IsOpenForWriting => Volatile.Read(ref _file) is not null;

    /// <inheritdoc/>
    /// <remarks>Once this instance writes, the version it last appended (or kept). Before, each read looks at the end of
    /// the file again (another process may be appending): the last readable record's version, 0 for a missing or empty file.</remarks>
    public long LastVersion
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return IsOpenForWriting ? Volatile.Read(ref _lastVersion) : ReadLastVersion();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Writes every line with one write call at the end of the journal, then fsyncs it
    /// (<see cref="FileJournalDurability.FsyncEachAppend"/>) or not (<see cref="FileJournalDurability.Flush"/>). If the
    /// write fails, the journal is cut back to where it was and the exception is rethrown: nothing of the append stays.
    /// An empty list writes nothing.</remarks>
    /// <returns>The journal's length in bytes before the append.</returns>
    /// <exception cref="ArgumentException">A change is null, its version is not greater than <see cref="LastVersion"/> and
    /// the change before it, or it holds text the journal cannot write exactly. Nothing is written.</exception>
    /// <exception cref="StorageLockedException">Another writer has the journal open.</exception>
    public long Append(IReadOnlyList<ChangeRecord> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            SafeFileHandle file = OpenForWriting();
            long mark = _length;
            if (changes.Count == 0)
            {
                return mark;
            }

            long lastVersion = Serialize(changes, _lastVersion);
            try
            {
                RandomAccess.Write(file, _buffer.WrittenSpan, mark);
                if (Options.Durability == FileJournalDurability.FsyncEachAppend)
                {
                    RandomAccess.FlushToDisk(file);
                }
            }
            catch
            {
                TakeBack(file, mark);
                throw;
            }

            _length = mark + _buffer.WrittenCount;
            Volatile.Write(ref _lastVersion, lastVersion);
            if (_buffer.Capacity > RetainedBufferBytes)
            {
                _buffer = new ArrayBufferWriter<byte>(4096);
            }

            return mark;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Cuts the file to <paramref name="mark"/> and fsyncs it; <see cref="LastVersion"/> becomes the last version
    /// before the mark.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mark"/> is negative or past the journal's end.</exception>
    /// <exception cref="ArgumentException"><paramref name="mark"/> is not at the start of a line (not a mark <see cref="Append"/> returned).</exception>
    public void TruncateTo(long mark)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mark);
        lock (_gate)
        {
            SafeFileHandle file = OpenForWriting();
            if (mark > _length)
            {
                throw new ArgumentOutOfRangeException(nameof(mark), mark, string.Create(CultureInfo.InvariantCulture,
                    $"The journal '{FilePath}' is {_length} bytes long; mark {mark} is past its end, so Append did not return it (or the journal was truncated since)."));
            }

            if (mark == _length)
            {
                return;
            }

            Span<byte> before = stackalloc byte[1];
            if (mark > 0 && (RandomAccess.Read(file, before, mark - 1) != 1 || before[0] != JournalLine.LineBreak))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Mark {mark} is not at the start of a line of the journal '{FilePath}', so Append did not return it."), nameof(mark));
            }

            (long version, _) = JournalTail.FindLastRecord(file, mark, long.MaxValue);
            Cut(file, mark, version);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Cuts the file just after the last readable record whose version is at most <paramref name="version"/> (to
    /// empty when there is none) and fsyncs it; does nothing when <see cref="LastVersion"/> is at most <paramref name="version"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is negative.</exception>
    public void TruncateAfter(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        lock (_gate)
        {
            SafeFileHandle file = OpenForWriting();
            if (_lastVersion <= version)
            {
                return;
            }

            (long kept, long end) = JournalTail.FindLastRecord(file, _length, version);
            Cut(file, end, kept);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Streams the file from its start with one 64 KiB buffer (a line longer than that is held whole, nothing
    /// more). Line numbers start at 1. A line that is not a record gives <see cref="JournalEntry.Problem"/> (the reader's
    /// message); the file's last line is marked <see cref="JournalEntry.IsLastLine"/>, and a last line without its line
    /// break is always a problem (a cut-off write), even when the JSON before the cut happens to be complete. Takes no
    /// lock: works while a writer, here or in another process, appends.</remarks>
    /// <exception cref="FileNotFoundException">The journal file does not exist (thrown when the enumeration starts).</exception>
    public IAsyncEnumerable<JournalEntry> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Read(FilePath, maxLineLength: 0, cancellationToken);
    }

    /// <summary>Releases the writer's lock and the file (a journal that never wrote holds neither).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            if (_file is { } file && _tailDirty)
            {
                try
                {
                    RandomAccess.SetLength(file, _length);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The next writer cuts the unreadable tail away when it opens.
                }
            }

            _file?.Dispose();
            _lockFile?.Dispose();
            Volatile.Write(ref _file, null);
        }
    }

    /// <summary>Reads a journal file line by line (the reader behind <see cref="ReadAsync"/>; the maximum line length is
    /// the tests' seam).</summary>
    internal static async IAsyncEnumerable<JournalEntry> Read(string path, int maxLineLength, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using JournalLineReader reader = JournalLineReader.Open(path, maxLineLength);
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            lineNumber++;
            ChangeRecord? record = null;
            string? problem;
            if (reader.OversizedLength >= 0)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"The line is {reader.OversizedLength} bytes long, more than a record can be; it was skipped.");
            }
            else if (JournalLine.TryParse(reader.Line.Span, out record, out problem) && !reader.HasLineBreak)
            {
                record = null;
                problem = "The line has no line break at its end: the write was cut off (torn), so it is not data, although its JSON is complete.";
            }
            else if (!reader.HasLineBreak)
            {
                problem = "The line has no line break at its end: the write was cut off (torn). " + problem;
            }

            bool last = !reader.HasLineBreak || await reader.IsAtEndAsync(cancellationToken).ConfigureAwait(false);
            yield return new JournalEntry(lineNumber, record, problem, last);
        }
    }

    private static string FullPathOf(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The journal path is empty; give the path of a file, such as 'data/journal.jsonl'.", nameof(path));
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"The journal path '{path}' is not a valid file path: {ex.Message}", nameof(path), ex);
        }

        if (Path.EndsInDirectorySeparator(path) || Directory.Exists(full))
        {
            throw new ArgumentException($"The journal path '{path}' names a folder; it must name a file, such as '{Path.Combine(Path.TrimEndingDirectorySeparator(full), "journal.jsonl")}'.", nameof(path));
        }

        for (string? folder = Path.GetDirectoryName(full); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                throw new ArgumentException($"The journal path '{path}' is under '{folder}', which is a file, not a folder.", nameof(path));
            }
        }

        return full;
    }

    /// <summary>Reads the last version from the file as it is now, without the writer's lock.</summary>
    private long ReadLastVersion()
    {
        for (int attempt = 1; ; attempt++)
        {
            SafeFileHandle file;
            try
            {
                file = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return 0;
            }

            using (file)
            {
                try
                {
                    return JournalTail.FindLastRecord(file, RandomAccess.GetLength(file), long.MaxValue).Version;
                }
                catch (EndOfStreamException) when (attempt < 3)
                {
                    // The writer cut the file while we read its end: read the new end.
                }
            }
        }
    }

    /// <summary>Opens the file for writing on first use (lock, create, find the end, cut a torn tail); repairs a tail a failed append left.</summary>
    private SafeFileHandle OpenForWriting()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_file is { } open)
        {
            if (_tailDirty)
            {
                RandomAccess.SetLength(open, _length);
                RandomAccess.FlushToDisk(open);
                _tailDirty = false;
            }

            return open;
        }

        bool durable = Options.Durability == FileJournalDurability.FsyncEachAppend;
        CreateFolder(Path.GetDirectoryName(FilePath)!, durable);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(LockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new StorageLockedException(FilePath, LockFilePath, "To read the journal while it is being written, use ReadAsync (it takes no lock).", ex);
        }

        SafeFileHandle? file = null;
        try
        {
            bool existed = File.Exists(FilePath);
            try
            {
                file = File.OpenHandle(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            }
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
            {
                // Windows: a process that ignores the lock file has the journal open for writing.
                throw new StorageLockedException(FilePath, LockFilePath, "Another process has the journal file itself open for writing.", ex);
            }

            if (!existed && durable)
            {
                DirectorySync.Flush(Path.GetDirectoryName(FilePath)!);
            }

            long length = RandomAccess.GetLength(file);
            (long version, long end) = JournalTail.FindLastRecord(file, length, long.MaxValue);
            if (end < length)
            {
                // A torn write (and any unreadable lines before it that no record follows) is not data: never continue it.
                RandomAccess.SetLength(file, end);
                RandomAccess.FlushToDisk(file);
            }

            _length = end;
            Volatile.Write(ref _lastVersion, version);
            _lockFile = lockFile;
            Volatile.Write(ref _file, file);
            return file;
        }
        catch
        {
            file?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Creates the folder (and its missing parents), fsyncing each new entry's parent when durable.</summary>
    private static void CreateFolder(string folder, bool durable)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        var missing = new List<string>();
        for (string? f = folder; f is not null && !Directory.Exists(f); f = Path.GetDirectoryName(f))
        {
            missing.Add(f);
        }

        Directory.CreateDirectory(folder);
        if (durable)
        {
            for (int i = missing.Count - 1; i >= 0; i--)
            {
                if (Path.GetDirectoryName(missing[i]) is { } parent)
                {
                    DirectorySync.Flush(parent);
                }
            }
        }
    }

    /// <summary>Serializes the changes, one line each, into <see cref="_buffer"/>, checking their versions first.</summary>
    /// <returns>The last change's version.</returns>
    private long Serialize(IReadOnlyList<ChangeRecord> changes, long lastVersion)
    {
        long previous = lastVersion;
        for (int i = 0; i < changes.Count; i++)
        {
            ChangeRecord change = changes[i] ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"changes[{i}] is null."), nameof(changes));
            if (change.Version <= previous)
            {
                throw new ArgumentException(i == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"The journal '{FilePath}' is at version {lastVersion}; changes[0] ({change}) has version {change.Version}, which is not greater. Nothing was written.")
                    : string.Create(CultureInfo.InvariantCulture, $"changes[{i}] ({change}) has version {change.Version}, which is not greater than the version {previous} of changes[{i - 1}]; a journal is in commit order. Nothing was written."),
                    nameof(changes));
            }

            if (change.Type == StateEventType.Set && (change.ValueJson is null || change.Metadata is null))
            {
                // Only a record over a corrupt entry can be like this; its line would be one the reader refuses.
                throw new ArgumentException($"changes[{i}] ({change}) is a set without a value or metadata; a journal line must be a record it can read back. Nothing was written.", nameof(changes));
            }

            previous = change.Version;
        }

        _buffer.ResetWrittenCount();
        for (int i = 0; i < changes.Count; i++)
        {
            try
            {
                ChangeRecordJson.Write(_buffer, changes[i]);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or System.Text.Json.JsonException)
            {
                throw new ArgumentException($"changes[{i}] ({changes[i]}) cannot be written to the journal: {ex.Message} Nothing was written.", nameof(changes), ex);
            }

            _buffer.GetSpan(1)[0] = JournalLine.LineBreak;
            _buffer.Advance(1);
        }

        return previous;
    }

    /// <summary>Cuts the file at <paramref name="end"/> after a failed append; if even that fails, the next write (or Dispose) retries.</summary>
    private void TakeBack(SafeFileHandle file, long end)
    {
        try
        {
            RandomAccess.SetLength(file, end);
            RandomAccess.FlushToDisk(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _tailDirty = true;
        }
    }

    private void Cut(SafeFileHandle file, long end, long lastVersion)
    {
        RandomAccess.SetLength(file, end);
        RandomAccess.FlushToDisk(file);
        _length = end;
        Volatile.Write(ref _lastVersion, lastVersion);
    }
}
