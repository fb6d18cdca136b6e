using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// The released model files and each model's <see cref="ModelReleaseState"/> on disk, under
/// <c>&lt;state directory&gt;/active/&lt;model name&gt;/</c>. The state file is replaced whole (written to
/// a temp name, fsynced, renamed), so power loss leaves the old state or the new one; a released
/// file is fsynced under a temp name before it gets its own.
/// </summary>
public sealed class ModelReleaseStore(string stateDirectory)
{
    private const string StateFileName = "state.json";
    private const string DamagedSuffix = ".damaged";

    public string Root { get; } = Path.Combine(Path.GetFullPath(stateDirectory), "active");

    /// <summary>The model's own folder: its name escaped, so any configured name is one path segment.</summary>
    public string DirectoryOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var segment = Uri.EscapeDataString(name);
        return Path.Combine(Root, segment is "." or ".." ? segment.Replace(".", "%2E", StringComparison.Ordinal) : segment);
    }

    public string StatePathOf(string name) => Path.Combine(DirectoryOf(name), StateFileName);

    public string PathOf(string name, ReleasedModelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Path.Combine(DirectoryOf(name), file.FileName);
    }

    /// <summary>The model's state; a model never released has an empty one.</summary>
    /// <exception cref="InvalidDataException">The state file is torn or not a state (the message names the file and why).</exception>
    public ModelReleaseState Read(string name)
    {
        var path = StatePathOf(name);
        if (!File.Exists(path))
        {
            return new ModelReleaseState(name, null, null, null);
        }

        try
        {
            using var stream = File.OpenRead(path);
            var state = JsonSerializer.Deserialize(stream, ModelReleaseStateJsonContext.Default.ModelReleaseState)
                ?? throw new InvalidDataException($"{path}: empty state");
            return state.Name == name ? state : throw new InvalidDataException($"{path}: the state of model '{state.Name}', not of '{name}'");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a model release state ({e.Message})", e);
        }
    }

    public void Write(ModelReleaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var path = StatePathOf(state.Name);
        DirectorySync.CreateDurably(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, state, ModelReleaseStateJsonContext.Default.ModelReleaseState);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(path)!);
    }

    /// <summary>Moves a verified release file into the model's folder (it may come from another file system).</summary>
    public ReleasedModelFile Stage(string name, int version, string sha256, string sourceFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        var released = new ReleasedModelFile(version, sha256, $"v{version}-{sha256[..Math.Min(12, sha256.Length)]}.onnx");
        var path = PathOf(name, released);
        DirectorySync.CreateDurably(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.Move(sourceFile, temp, overwrite: true);
        using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(path)!);
        return released;
    }

    /// <summary>Whether the released file is there with the content its state names (a torn or lost file is not).</summary>
    public bool IsIntact(string name, ReleasedModelFile file, out string problem)
    {
        var path = PathOf(name, file);
        if (!File.Exists(path))
        {
            problem = $"{path} is missing";
            return false;
        }

        using (var stream = File.OpenRead(path))
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                problem = $"{path} has SHA-256 {sha256}, its state says {file.Sha256}";
                return false;
            }
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>Deletes the model's files its state no longer names (the active and the previous one stay).</summary>
    public void RemoveUnreferenced(ModelReleaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var directory = DirectoryOf(state.Name);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var keep = new HashSet<string>(StringComparer.Ordinal) { StateFileName };
        foreach (var file in new[] { state.Active, state.Previous })
        {
            if (file is not null)
            {
                keep.Add(file.FileName);
            }
        }

        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var fileName = Path.GetFileName(path);
            if (!keep.Contains(fileName) && !fileName.EndsWith(DamagedSuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Keeps a state file that could not be read beside the new one, for whoever looks into why.</summary>
    public string SetAsideDamaged(string name)
    {
        var path = StatePathOf(name);
        var aside = path + DamagedSuffix;
        File.Move(path, aside, overwrite: true);
        DirectorySync.Sync(Path.GetDirectoryName(path)!);
        return aside;
    }
}
