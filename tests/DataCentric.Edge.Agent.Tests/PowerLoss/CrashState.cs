namespace DataCentric.Edge.Agent.Tests.PowerLoss;

/// <summary>How much of what was not yet synced at the cut survives the power loss.</summary>
internal enum LossModel
{
    /// <summary>Nothing unsynced: file contents as of each file's last fsync, names as of each directory's last fsync.</summary>
    DropUnsynced,

    /// <summary>Everything written before the cut (what a kill -9 leaves: the page cache survives).</summary>
    KeepAll,

    /// <summary>Synced data, plus a random subset of each file's later writes and a random prefix of each directory's later changes.</summary>
    Torn,
}

/// <summary>
/// The watched directory as a power loss at record <c>cut</c> of a write log leaves it, under a
/// <see cref="LossModel"/>. File contents are per inode (a write is durable once that inode is
/// fsynced after it); names are per directory (a create, rename, link, unlink or mkdir is durable
/// once its directory is fsynced after it; a rename counts in its target's directory). A name whose
/// directories are not durable is gone. This is POSIX's promise, stricter than ext4's ordered mode.
/// </summary>
internal sealed class CrashState
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<WriteRecord>> _content = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _synced = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _generation = [];
    private readonly Dictionary<string, List<NameChange>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _durableNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _durableDirs = new(StringComparer.Ordinal);
    private readonly string _root;

    private CrashState(string root)
    {
        _root = root;
        _dirs.Add(root);
        _durableDirs.Add(root);
    }

    private enum Change
    {
        Create,
        Remove,
        Rename,
        MakeDirectory,
        RemoveDirectory,
        RenameDirectory,
    }

    /// <summary>Relative path → what survives (null for a directory) after a power loss just before record <paramref name="cut"/>.</summary>
    public static IReadOnlyDictionary<string, FileImage?> At(IReadOnlyList<WriteRecord> log, string root, int cut, LossModel model, Random random)
    {
        var state = new CrashState(root);
        for (var i = 0; i < cut; i++)
        {
            state.Apply(log[i]);
        }

        return state.Survivors(model, random);
    }

    /// <summary>Writes a state into an empty folder.</summary>
    public static void Materialize(IReadOnlyDictionary<string, FileImage?> state, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var (path, content) in state.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var full = Path.Combine(target, path);
            if (content is null)
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, content.Content);
                File.SetLastWriteTimeUtc(full, DateTime.UnixEpoch.AddTicks(content.ModifiedNs / 100));
            }
        }
    }

    private void Apply(WriteRecord r)
    {
        switch (r.Op)
        {
            case WriteOp.Open when !_names.TryGetValue(r.Path!, out var key) || key != Current(r.Inode):
                // A new name (or a name now on another inode): an inode no name holds starts a new life, as inode numbers are reused.
                _names[r.Path!] = _names.ContainsValue(Current(r.Inode)) ? Current(r.Inode) : NewLife(r.Inode);
                Queue(r.Path!, new NameChange(Change.Create, r.Path!, null, _names[r.Path!]));
                break;
            case WriteOp.Truncate or WriteOp.Write:
                ContentOf(Current(r.Inode)).Add(r);
                break;
            case WriteOp.Fsync:
                _synced[Current(r.Inode)] = ContentOf(Current(r.Inode)).Count;
                break;
            case WriteOp.DirectorySync when _pending.Remove(r.Path!, out var changes):
                changes.ForEach(ApplyDurably);
                break;
            case WriteOp.Rename when _dirs.Contains(r.Path!):
                MoveTree(_dirs, _names, r.Path!, r.OtherPath!);
                Queue(r.OtherPath!, new NameChange(Change.RenameDirectory, r.Path!, r.OtherPath!, string.Empty));
                break;
            case WriteOp.Rename:
                var moved = _names[r.Path!];
                _names.Remove(r.Path!);
                _names[r.OtherPath!] = moved;
                Queue(r.OtherPath!, new NameChange(Change.Rename, r.Path!, r.OtherPath!, moved));
                break;
            case WriteOp.Link:
                _names[r.OtherPath!] = _names[r.Path!];
                Queue(r.OtherPath!, new NameChange(Change.Create, r.OtherPath!, null, _names[r.Path!]));
                break;
            case WriteOp.Unlink:
                _names.Remove(r.Path!);
                Queue(r.Path!, new NameChange(Change.Remove, r.Path!, null, string.Empty));
                break;
            case WriteOp.MakeDirectory:
                _dirs.Add(r.Path!);
                Queue(r.Path!, new NameChange(Change.MakeDirectory, r.Path!, null, string.Empty));
                break;
            case WriteOp.RemoveDirectory:
                _dirs.Remove(r.Path!);
                Queue(r.Path!, new NameChange(Change.RemoveDirectory, r.Path!, null, string.Empty));
                break;
            case WriteOp.Unsupported:
                throw new NotSupportedException($"the agent made a change the write log cannot replay (record {r.Index}): {r.Path}");
            default:
                break;
        }
    }

    private IReadOnlyDictionary<string, FileImage?> Survivors(LossModel model, Random random)
    {
        switch (model)
        {
            case LossModel.KeepAll:
                _durableNames.Clear();
                _durableDirs.Clear();
                foreach (var (name, key) in _names)
                {
                    _durableNames[name] = key;
                }

                _durableDirs.UnionWith(_dirs);
                break;
            case LossModel.Torn:
                foreach (var changes in _pending.Values)
                {
                    changes.Take(random.Next(changes.Count + 1)).ToList().ForEach(ApplyDurably);
                }

                break;
            default:
                break;
        }

        var result = new Dictionary<string, FileImage?>(StringComparer.Ordinal);
        foreach (var dir in _durableDirs.Where(d => d != _root && Reachable(d)))
        {
            result[Path.GetRelativePath(_root, dir)] = null;
        }

        foreach (var (name, key) in _durableNames.Where(n => Reachable(Path.GetDirectoryName(n.Key)!)))
        {
            result[Path.GetRelativePath(_root, name)] = Build(key, model, random);
        }

        return result;
    }

    private FileImage Build(string key, LossModel model, Random random)
    {
        var ops = ContentOf(key);
        var synced = model == LossModel.KeepAll ? ops.Count : _synced.GetValueOrDefault(key);
        var bytes = new List<byte>();
        var modified = 0L;
        for (var i = 0; i < ops.Count; i++)
        {
            if (i >= synced && (model != LossModel.Torn || random.Next(2) == 0))
            {
                continue;
            }

            var op = ops[i];
            modified = op.ModifiedNs;
            if (op.Op == WriteOp.Truncate)
            {
                Resize(bytes, (int)op.Offset);
                continue;
            }

            if (bytes.Count < op.Offset + op.Data.Length)
            {
                Resize(bytes, (int)op.Offset + op.Data.Length);
            }

            for (var j = 0; j < op.Data.Length; j++)
            {
                bytes[(int)op.Offset + j] = op.Data[j];
            }
        }

        return new FileImage([.. bytes], modified);
    }

    private static void Resize(List<byte> bytes, int length)
    {
        if (length < bytes.Count)
        {
            bytes.RemoveRange(length, bytes.Count - length);
        }
        else
        {
            bytes.AddRange(new byte[length - bytes.Count]);
        }
    }

    private bool Reachable(string dir)
    {
        for (var d = dir; d != _root; d = Path.GetDirectoryName(d)!)
        {
            if (!_durableDirs.Contains(d) || d.Length < _root.Length)
            {
                return false;
            }
        }

        return true;
    }

    private void ApplyDurably(NameChange change)
    {
        switch (change.Kind)
        {
            case Change.Create:
                _durableNames[change.Path] = change.Key;
                break;
            case Change.Remove:
                _durableNames.Remove(change.Path);
                break;
            case Change.Rename:
                _durableNames.Remove(change.Path);
                _durableNames[change.Target!] = change.Key;
                break;
            case Change.MakeDirectory:
                _durableDirs.Add(change.Path);
                break;
            case Change.RemoveDirectory:
                _durableDirs.Remove(change.Path);
                break;
            case Change.RenameDirectory:
                MoveTree(_durableDirs, _durableNames, change.Path, change.Target!);
                break;
            default:
                break;
        }
    }

    private static void MoveTree(HashSet<string> dirs, Dictionary<string, string> names, string from, string to)
    {
        static string? Moved(string path, string from, string to) =>
            path == from ? to : path.StartsWith(from + "/", StringComparison.Ordinal) ? to + path[from.Length..] : null;

        foreach (var dir in dirs.ToList())
        {
            if (Moved(dir, from, to) is { } target)
            {
                dirs.Remove(dir);
                dirs.Add(target);
            }
        }

        foreach (var (name, key) in names.ToList())
        {
            if (Moved(name, from, to) is { } target)
            {
                names.Remove(name);
                names[target] = key;
            }
        }
    }

    private void Queue(string path, NameChange change)
    {
        var dir = Path.GetDirectoryName(path)!;
        if (!_pending.TryGetValue(dir, out var list))
        {
            _pending[dir] = list = [];
        }

        list.Add(change);
    }

    private string Current(long inode) => $"{inode}#{_generation.GetValueOrDefault(inode)}";

    private string NewLife(long inode)
    {
        _generation[inode] = _generation.GetValueOrDefault(inode) + 1;
        return Current(inode);
    }

    private List<WriteRecord> ContentOf(string key)
    {
        if (!_content.TryGetValue(key, out var ops))
        {
            _content[key] = ops = [];
        }

        return ops;
    }

    /// <summary>A surviving file: its bytes and its modification time (Unix ns), which is inode metadata and survives with them.</summary>
    internal sealed record FileImage(byte[] Content, long ModifiedNs);

    private sealed record NameChange(Change Kind, string Path, string? Target, string Key);
}
