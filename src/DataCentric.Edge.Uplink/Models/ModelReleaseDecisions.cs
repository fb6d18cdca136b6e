using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// The release envelopes the transfer has already answered, by SHA-256 of the envelope's bytes, so a
/// retained release redelivered on every reconnect and restart is neither downloaded nor acked again.
/// A release decided for good (downloaded and then activated, refused or rolled back; superseded by a
/// newer one) is never taken again. A manifest refused before any download is kept with its verdict
/// (the reasons' names): it is checked again when it comes back, since a change of configuration (a
/// pinned key, a group, an agent upgrade) may let it pass, but it is acked again only if the verdict changed.
/// What runs is not recorded here: the activator's state is the one record of that.
/// </summary>
public sealed class ModelReleaseDecisions
{
    /// <summary>"&lt;envelope sha256&gt;" (decided for good) or "&lt;envelope sha256&gt;&lt;tab&gt;&lt;verdict&gt;" (manifest refused), one a line.</summary>
    public const string FileName = "decided-releases.txt";

    private const int MaxRemembered = 1000;
    private readonly string _path;
    private readonly Lock _lock = new();
    private readonly List<string> _order = [];

    // Envelope hash → null when decided for good, else the verdict its manifest was refused with.
    private readonly Dictionary<string, string?> _decisions = new(StringComparer.Ordinal);

    public ModelReleaseDecisions(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        _path = Path.Combine(DirectorySync.CreateDurably(stateDirectory), FileName);
        if (!File.Exists(_path))
        {
            return;
        }

        // A line that is not a decision (torn by power loss) is skipped: at worst that release is checked and acked again.
        foreach (var line in File.ReadAllLines(_path))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var hash = tab < 0 ? line : line[..tab];
            if (hash.Length == 64 && !_decisions.ContainsKey(hash))
            {
                _decisions[hash] = tab < 0 ? null : line[(tab + 1)..];
                _order.Add(hash);
            }
        }
    }

    /// <summary>Whether the envelope was decided for good (a manifest refusal is not: see <see cref="RefusedAlike"/>).</summary>
    public bool WasDecided(string envelopeSha256)
    {
        lock (_lock)
        {
            return _decisions.TryGetValue(envelopeSha256, out var verdict) && verdict is null;
        }
    }

    /// <summary>Whether the envelope's manifest was refused before with this same <paramref name="verdict"/>.</summary>
    public bool RefusedAlike(string envelopeSha256, string verdict)
    {
        lock (_lock)
        {
            return _decisions.TryGetValue(envelopeSha256, out var before) && before == verdict;
        }
    }

    /// <summary>Remembers a release decided for good, so the same envelope is not fetched or acked again.</summary>
    public void Decided(string envelopeSha256) => Remember(envelopeSha256, null);

    /// <summary>Remembers a manifest refused before any download, with its verdict (reason names, no line breaks or tabs).</summary>
    public void Refused(string envelopeSha256, string verdict)
    {
        ArgumentException.ThrowIfNullOrEmpty(verdict);
        Remember(envelopeSha256, verdict);
    }

    private void Remember(string envelopeSha256, string? verdict)
    {
        lock (_lock)
        {
            if (_decisions.TryGetValue(envelopeSha256, out var before))
            {
                if (before is null || before == verdict)
                {
                    return;
                }
            }
            else
            {
                _order.Add(envelopeSha256);
            }

            _decisions[envelopeSha256] = verdict;
            if (_order.Count > MaxRemembered)
            {
                _decisions.Remove(_order[0]);
                _order.RemoveAt(0);
            }

            WriteAtomically(string.Concat(_order.Select(h => _decisions[h] is { } v ? $"{h}\t{v}\n" : h + "\n")));
        }
    }

    private void WriteAtomically(string text)
    {
        var temp = _path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(text);
            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(_path)!);
    }
}
