using System.Globalization;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// The device's record of the model releases it accepted: per model name, the last version, kept in
/// a small file (written to a temp name, fsynced, renamed) so a replayed older release is refused
/// after a restart too. Only a release that passed every check is recorded.
/// </summary>
public sealed class AcceptedModelReleases
{
    private const string FileName = "accepted-models.tsv";
    private readonly string _path;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _versions = new(StringComparer.Ordinal);

    /// <exception cref="InvalidDataException">The record file is damaged (the message names the file and line).</exception>
    public AcceptedModelReleases(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        _path = Path.Combine(DirectorySync.CreateDurably(stateDirectory), FileName);
        if (!File.Exists(_path))
        {
            return;
        }

        var lines = File.ReadAllLines(_path);
        for (var i = 0; i < lines.Length; i++)
        {
            // "<version>\t<name>": the name last, so it may hold any character but a line break.
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0 || !int.TryParse(lines[i].AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidDataException($"{_path}:{i + 1}: not '<version><tab><model name>'");
            }

            _versions[lines[i][(tab + 1)..]] = version;
        }
    }

    /// <summary>The last accepted version of <paramref name="name"/>; 0 when none was.</summary>
    public int VersionOf(string name)
    {
        lock (_lock)
        {
            return _versions.GetValueOrDefault(name);
        }
    }

    /// <summary>Verifies the release and the delivered file; records the version only when every check passed.</summary>
    public ModelReleaseVerification Accept(ReadOnlySpan<byte> envelopeBytes, string modelFile, ModelReleaseDevice device)
    {
        ArgumentNullException.ThrowIfNull(modelFile);
        lock (_lock)
        {
            var result = ModelReleaseVerifier.Verify(envelopeBytes, modelFile, device, name => _versions.GetValueOrDefault(name));
            if (result.Accepted)
            {
                var release = result.Release!;
                _versions[release.Name] = release.Version;
                Persist();
            }

            return result;
        }
    }

    /// <summary>
    /// Records a release that was verified with its file and then put into service (the transfer
    /// verifies first and records only once the activator says it runs).
    /// </summary>
    public void RecordActivated(string name, int version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            if (version > _versions.GetValueOrDefault(name))
            {
                _versions[name] = version;
                Persist();
            }
        }
    }

    private void Persist()
    {
        var temp = _path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(file))
        {
            foreach (var (name, version) in _versions.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                writer.Write(version.ToString(CultureInfo.InvariantCulture));
                writer.Write('\t');
                writer.Write(name);
                writer.Write('\n');
            }

            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(_path)!);
    }
}
