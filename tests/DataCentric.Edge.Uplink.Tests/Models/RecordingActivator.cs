using System.Collections.Concurrent;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>
/// The activation side as the transfer sees it (the real one is the inference layer's): records each
/// call with the SHA-256 and length of the file it was handed, moves the file into its own folder as
/// an activator may, answers with <see cref="Outcome"/>, and keeps what runs (and ran before) as the
/// activator's record does. <see cref="StartupRollbacks"/> plays the rollbacks a start made.
/// </summary>
internal sealed class RecordingActivator(string keepDirectory) : IModelActivator
{
    public ConcurrentQueue<(ModelReleasePayload Release, string Sha256, long Length, string KeptAt)> Activations { get; } = [];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (RunningRelease Active, RunningRelease? Previous)> _running = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Rollbacks { get; } = [];

    /// <summary>Start-up rollbacks not reported yet; the receiver drops each once its ack is on the broker.</summary>
    public List<ModelStartupRollback> StartupRollbacks { get; } = [];

    /// <summary>What runs now, as a start (or a restore at start) left it.</summary>
    public void Runs(string name, RunningRelease? active)
    {
        lock (_gate)
        {
            if (active is null)
            {
                _running.Remove(name);
            }
            else
            {
                _running[name] = (active, null);
            }
        }
    }

    public RunningRelease? RunningOf(string modelName)
    {
        lock (_gate)
        {
            return _running.TryGetValue(modelName, out var r) ? r.Active : null;
        }
    }

    public IReadOnlyList<ModelStartupRollback> UnreportedStartupRollbacks()
    {
        lock (_gate)
        {
            return [.. StartupRollbacks];
        }
    }

    public void StartupRollbackReported(ModelStartupRollback rollback)
    {
        lock (_gate)
        {
            StartupRollbacks.Remove(rollback);
        }
    }

    public ModelActivationOutcome Outcome { get; set; } =
        new(true, null, "swapped", new ModelProbationReport(50, 0, 4.1, 6.3, 48L * 1024 * 1024, 512L * 1024 * 1024));

    public Task<ModelActivationOutcome> ActivateAsync(ModelReleasePayload release, string verifiedModelFile, CancellationToken cancellationToken)
    {
        var kept = Path.Combine(Directory.CreateDirectory(keepDirectory).FullName, $"{release.Name}-{release.Version}.onnx");
        File.Move(verifiedModelFile, kept, overwrite: true);
        using (var file = File.OpenRead(kept))
        {
            Activations.Enqueue((release, Convert.ToHexStringLower(SHA256.HashData(file)), file.Length, kept));
        }

        if (Outcome.Active)
        {
            lock (_gate)
            {
                _running[release.Name] = (new RunningRelease(release.Version, release.Sha256), RunningOf(release.Name));
            }
        }

        return Task.FromResult(Outcome);
    }

    public Task<ModelActivationOutcome> RollBackAsync(string modelName, CancellationToken cancellationToken)
    {
        Rollbacks.Enqueue(modelName);
        lock (_gate)
        {
            if (_running.Remove(modelName, out var r) && r.Previous is { } previous)
            {
                _running[modelName] = (previous, null);
            }
        }

        return Task.FromResult(new ModelActivationOutcome(true, null, "previous model back", null));
    }
}
