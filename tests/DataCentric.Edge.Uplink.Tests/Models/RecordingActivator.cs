using System.Collections.Concurrent;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>
/// The activation side as the transfer sees it (the real one is the inference layer's): records each
/// call with the SHA-256 and length of the file it was handed, moves the file into its own folder as
/// an activator may, and answers with <see cref="Outcome"/>.
/// </summary>
internal sealed class RecordingActivator(string keepDirectory) : IModelActivator
{
    public ConcurrentQueue<(ModelReleasePayload Release, string Sha256, long Length, string KeptAt)> Activations { get; } = [];

    public ConcurrentQueue<string> Rollbacks { get; } = [];

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

        return Task.FromResult(Outcome);
    }

    public Task<ModelActivationOutcome> RollBackAsync(string modelName, CancellationToken cancellationToken)
    {
        Rollbacks.Enqueue(modelName);
        return Task.FromResult(new ModelActivationOutcome(true, null, "previous model back", null));
    }
}
