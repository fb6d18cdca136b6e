using System.Globalization;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// What the transfer remembers across restarts, beside <see cref="AcceptedModelReleases"/>: per
/// model name the release running now and the one before it (for the ack's active version and for
/// a rollback), and the envelopes already decided after a download (by SHA-256 of the envelope
/// bytes), so a retained release redelivered on every reconnect is neither downloaded nor acked again.
/// </summary>
public sealed class ModelReleaseLedger
{
    private const string ActiveFile = "active-models.tsv";
    private const string DecidedFile = "decided-releases.txt";
    private const int MaxDecided = 1000;
    private readonly string _activePath;
    private readonly string _decidedPath;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (RunningModel Active, RunningModel? Previous)> _running = new(StringComparer.Ordinal);
    private readonly List<string> _decidedOrder = [];
    private readonly HashSet<string> _decided = new(StringComparer.Ordinal);

    /// <exception cref="InvalidDataException">A state file is damaged (the message names the file and line).</exception>
    public ModelReleaseLedger(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        var directory = DirectorySync.CreateDurably(stateDirectory);
        _activePath = Path.Combine(directory, ActiveFile);
        _decidedPath = Path.Combine(directory, DecidedFile);
        if (File.Exists(_activePath))
        {
            var lines = File.ReadAllLines(_activePath);
            for (var i = 0; i < lines.Length; i++)
            {
                // "<version>\t<sha256>\t<previous version>\t<previous sha256>\t<name>": the name last, as in accepted-models.tsv.
                var f = lines[i].Split('\t', 5);
                if (f.Length != 5 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                    || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var previous))
                {
                    throw new InvalidDataException($"{_activePath}:{i + 1}: not '<version><tab><sha256><tab><previous version><tab><previous sha256><tab><name>'");
                }

                _running[f[4]] = (new RunningModel(version, f[1]), previous == 0 ? null : new RunningModel(previous, f[3]));
            }
        }

        if (File.Exists(_decidedPath))
        {
            foreach (var hash in File.ReadAllLines(_decidedPath).Where(l => l.Length == 64))
            {
                if (_decided.Add(hash))
                {
                    _decidedOrder.Add(hash);
                }
            }
        }
    }

    /// <summary>The release of <paramref name="name"/> running now; null while the configured model file runs.</summary>
    public RunningModel? ActiveOf(string name)
    {
        lock (_lock)
        {
            return _running.TryGetValue(name, out var r) ? r.Active : null;
        }
    }

    public bool WasDecided(string envelopeSha256)
    {
        lock (_lock)
        {
            return _decided.Contains(envelopeSha256);
        }
    }

    /// <summary>Remembers a decision taken after a download, so the same envelope is not fetched again.</summary>
    public void Decided(string envelopeSha256)
    {
        lock (_lock)
        {
            if (!_decided.Add(envelopeSha256))
            {
                return;
            }

            _decidedOrder.Add(envelopeSha256);
            if (_decidedOrder.Count > MaxDecided)
            {
                _decided.Remove(_decidedOrder[0]);
                _decidedOrder.RemoveAt(0);
            }

            WriteAtomically(_decidedPath, string.Concat(_decidedOrder.Select(h => h + "\n")));
        }
    }

    /// <summary>A release went into service: it runs now, and what ran before is kept for a rollback.</summary>
    public void Activated(string name, int version, string sha256)
    {
        lock (_lock)
        {
            var before = _running.TryGetValue(name, out var r) ? r.Active : null;
            _running[name] = (new RunningModel(version, sha256), before);
            PersistRunning();
        }
    }

    /// <summary>The start restored another model than the one recorded (a crash loop, a lost file): what runs now (none: the configured file), with no rollback left.</summary>
    public void Restored(string name, RunningModel? active)
    {
        lock (_lock)
        {
            if (active is null)
            {
                _running.Remove(name);
            }
            else
            {
                _running[name] = (active, null);
            }

            PersistRunning();
        }
    }

    /// <summary>A rollback put the model before the active one back: it runs now (none: the configured file), once.</summary>
    public RunningModel? RolledBack(string name)
    {
        lock (_lock)
        {
            if (!_running.TryGetValue(name, out var r))
            {
                return null;
            }

            if (r.Previous is { } previous)
            {
                _running[name] = (previous, null);
            }
            else
            {
                _running.Remove(name);
            }

            PersistRunning();
            return r.Previous;
        }
    }

    private void PersistRunning() => WriteAtomically(_activePath, string.Concat(_running.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Value.Active.Version}\t{r.Value.Active.Sha256}\t{r.Value.Previous?.Version ?? 0}\t{r.Value.Previous?.Sha256 ?? "-"}\t{r.Key}\n"))));

    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(text);
            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(path)!);
    }
}

/// <summary>A release in service on the device: its version and the SHA-256 of its file.</summary>
public sealed record RunningModel(int Version, string Sha256);
