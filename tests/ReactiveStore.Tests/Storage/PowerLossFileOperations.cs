using ReactiveStore.Storage;

namespace ReactiveStore.Tests.Storage;

/// <summary>The real file operations, plus a model of what a power loss would leave: POSIX's rules, strictly.</summary>
/// <remarks>
/// <para>Every change still happens on disk (so the storage works as usual), and the model follows it: a file's content is
/// durable only once the file was fsynced, and a name created, renamed or removed in a folder only once that folder was
/// fsynced (a new folder counts as a name in its parent). <see cref="MaterializeAfterPowerLoss"/> writes what would be
/// left into another folder: every folder as of its last fsync, every file with the content of its last fsync, or empty
/// if it never had one (what ext4 shows after a crash for a file renamed before its data was synced).</para>
/// <para>Folders and files have identities, as inodes do, so a folder deleted and created again, or a file renamed,
/// is modelled as the file system would treat it. <see cref="Calls"/> records every durability call in order.</para>
/// </remarks>
internal sealed class PowerLossFileOperations : IFileOperations
{
    private readonly IFileOperations _real = FileOperations.Instance;
    private readonly string _root;
    private readonly int _rootId;
    private readonly Dictionary<string, int> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<int, Dictionary<string, Node>> _listing = [];
    private readonly Dictionary<int, Dictionary<string, Node>> _syncedListing = [];
    private readonly Dictionary<int, byte[]> _syncedContent = [];
    private int _nextId;

    /// <summary>Models an empty, durable folder <paramref name="root"/>; everything the storage changes below it goes through here.</summary>
    public PowerLossFileOperations(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Directory.CreateDirectory(_root);
        _rootId = NewFolder(_root);
        _syncedListing[_rootId] = [];
    }

    /// <summary>Gets every durability call, in order: <c>fsync-file &lt;path&gt;</c>, <c>fsync-dir &lt;path&gt;</c>.</summary>
    public List<string> Calls { get; } = [];

    public void CreateDirectory(string path)
    {
        _real.CreateDirectory(path);
        var missing = new Stack<string>();
        for (string? dir = path; dir is not null && !_folders.ContainsKey(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out string? dir))
        {
            int parent = _folders[Path.GetDirectoryName(dir)!];
            _listing[parent][Path.GetFileName(dir)] = new Node(IsFolder: true, NewFolder(dir));
        }
    }

    public void WriteNewFile(string path, ReadOnlySpan<byte> content, bool flushToDisk)
    {
        _real.WriteNewFile(path, content, flushToDisk);
        int id = ++_nextId;
        if (flushToDisk)
        {
            _syncedContent[id] = content.ToArray();
            Calls.Add("fsync-file " + path);
        }

        _listing[FolderOf(path)][Path.GetFileName(path)] = new Node(IsFolder: false, id);
    }

    public void Replace(string source, string destination)
    {
        _real.Replace(source, destination);
        Dictionary<string, Node> from = _listing[FolderOf(source)];
        Node node = from[Path.GetFileName(source)];
        from.Remove(Path.GetFileName(source));
        _listing[FolderOf(destination)][Path.GetFileName(destination)] = node;
    }

    public void DeleteFile(string path)
    {
        _real.DeleteFile(path);
        if (_folders.TryGetValue(Path.GetDirectoryName(path)!, out int folder))
        {
            _listing[folder].Remove(Path.GetFileName(path));
        }
    }

    public void DeleteDirectory(string path)
    {
        _real.DeleteDirectory(path);
        _listing[FolderOf(path)].Remove(Path.GetFileName(path));
        _folders.Remove(path);
    }

    public bool FlushDirectory(string path)
    {
        bool synced = _real.FlushDirectory(path);
        _syncedListing[_folders[path]] = new Dictionary<string, Node>(_listing[_folders[path]], StringComparer.Ordinal);
        Calls.Add("fsync-dir " + path);
        return synced;
    }

    /// <summary>Writes into <paramref name="target"/> (a new folder) what the storage folder would hold after a power loss now.</summary>
    public void MaterializeAfterPowerLoss(string target) => Materialize(_rootId, target);

    private int NewFolder(string path)
    {
        int id = ++_nextId;
        _folders[path] = id;
        _listing[id] = new Dictionary<string, Node>(StringComparer.Ordinal);
        return id;
    }

    private int FolderOf(string path)
    {
        string parent = Path.GetDirectoryName(path)!;
        Assert.True(parent.StartsWith(_root, StringComparison.Ordinal), $"'{path}' is outside the modelled folder");
        return _folders[parent];
    }

    private void Materialize(int folder, string target)
    {
        Directory.CreateDirectory(target);
        foreach ((string name, Node node) in _syncedListing.GetValueOrDefault(folder) ?? [])
        {
            string path = Path.Combine(target, name);
            if (node.IsFolder)
            {
                Materialize(node.Id, path);
            }
            else
            {
                File.WriteAllBytes(path, _syncedContent.GetValueOrDefault(node.Id) ?? []);
            }
        }
    }

    private readonly record struct Node(bool IsFolder, int Id);
}
