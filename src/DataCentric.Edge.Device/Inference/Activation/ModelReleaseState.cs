using System.Text.Json;
using System.Text.Json.Serialization;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// Which file one configured model runs, kept in its state file: the release in service (null: the
/// configured file), the one before it (kept for rollback; null: the configured file), and, until
/// the release has survived a healthy period, how many starts it has had. It is the one record of
/// what runs: the transfer side asks the activator (<see cref="IModelActivator.RunningOf"/>).
/// </summary>
public sealed record ModelReleaseState(string Name, ReleasedModelFile? Active, ReleasedModelFile? Previous, PendingRelease? Pending)
{
    /// <summary>Releases a start took out of service whose acks have not reached the fleet yet (kept across restarts until they have).</summary>
    public IReadOnlyList<ModelStartupRollback> UnreportedRollbacks { get; init; } = [];

    public bool Equals(ModelReleaseState? other) =>
        other is not null && Name == other.Name && Active == other.Active && Previous == other.Previous && Pending == other.Pending
        && UnreportedRollbacks.SequenceEqual(other.UnreportedRollbacks);

    public override int GetHashCode() => HashCode.Combine(Name, Active, Previous, Pending, UnreportedRollbacks.Count);
}

/// <summary>A released model file in the model's state directory.</summary>
public sealed record ReleasedModelFile(int Version, string Sha256, string FileName);

/// <summary>A swap not yet proven: written before the swap, cleared once the agent stayed up long enough.</summary>
/// <param name="Starts">Agent starts with this release since the swap that did not end in a clean stop.</param>
public sealed record PendingRelease(DateTimeOffset SwappedAt, int Starts);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ModelReleaseState))]
internal sealed partial class ModelReleaseStateJsonContext : JsonSerializerContext;
