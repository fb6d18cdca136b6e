using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// Stands in for the agent's inference layer (ONNX Runtime on the board's camera frames, which dce-fleet's
/// tests do not carry): it checks that the transfer handed it the signed file, then reports the probation
/// it is given. It keeps what runs (the agent's activator is the one record of that): a passed probation
/// runs the release, a rollback the one before. Rollbacks succeed and are recorded.
/// </summary>
internal sealed class ScriptedActivator(ModelActivationOutcome outcome) : IModelActivator
{
    private readonly Lock _lock = new();
    private readonly List<string> _rollbacks = [];
    private readonly Dictionary<string, (RunningRelease Active, RunningRelease? Previous)> _running = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Rollbacks
    {
        get
        {
            lock (_lock)
            {
                return [.. _rollbacks];
            }
        }
    }

    /// <summary>Probation passed: 30 frames, p95 14.8 ms, 180 MiB of a 512 MiB limit.</summary>
    public static ScriptedActivator Passing() => new(new ModelActivationOutcome(true, null, null, new ModelProbationReport(30, 0, 11.2, 14.8, 180L << 20, 512L << 20)));

    /// <summary>Probation failed on latency: p95 412 ms against a 40 ms budget.</summary>
    public static ScriptedActivator TooSlow() => new(new ModelActivationOutcome(
        false, ModelActivationFailure.OverLatencyBudget, "p95 412.0 ms over the release's 40 ms budget x 1.5", new ModelProbationReport(30, 0, 390.5, 412.0, 200L << 20, 512L << 20)));

    public Task<ModelActivationOutcome> ActivateAsync(ModelReleasePayload release, string verifiedModelFile, CancellationToken cancellationToken)
    {
        using var file = File.OpenRead(verifiedModelFile);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        if (sha256 != release.Sha256)
        {
            return Task.FromResult(new ModelActivationOutcome(false, ModelActivationFailure.LoadFailed, $"handed a file with SHA-256 {sha256}, not the signed {release.Sha256}", null));
        }

        if (outcome.Active)
        {
            lock (_lock)
            {
                _running[release.Name] = (new RunningRelease(release.Version, release.Sha256), RunningOf(release.Name));
            }
        }

        return Task.FromResult(outcome);
    }

    public RunningRelease? RunningOf(string modelName)
    {
        lock (_lock)
        {
            return _running.TryGetValue(modelName, out var r) ? r.Active : null;
        }
    }

    public IReadOnlyList<ModelStartupRollback> UnreportedStartupRollbacks() => [];

    public void StartupRollbackReported(ModelStartupRollback rollback)
    {
    }

    public Task<ModelActivationOutcome> RollBackAsync(string modelName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _rollbacks.Add(modelName);
            if (_running.Remove(modelName, out var r) && r.Previous is { } previous)
            {
                _running[modelName] = (previous, null);
            }
        }

        return Task.FromResult(new ModelActivationOutcome(true, null, null, null));
    }
}
