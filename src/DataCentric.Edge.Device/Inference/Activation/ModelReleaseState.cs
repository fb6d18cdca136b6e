using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// Which file one configured model runs, kept in its state file: the release in service (null: the
/// configured file), the one before it (kept for rollback; null: the configured file), and, until
/// the release has survived a healthy period, how many starts it has had.
/// </summary>
public sealed record ModelReleaseState(string Name, ReleasedModelFile? Active, ReleasedModelFile? Previous, PendingRelease? Pending);

/// <summary>A released model file in the model's state directory.</summary>
public sealed record ReleasedModelFile(int Version, string Sha256, string FileName);

/// <summary>A swap not yet proven: written before the swap, cleared once the agent stayed up long enough.</summary>
/// <param name="Starts">Agent starts with this release since the swap.</param>
public sealed record PendingRelease(DateTimeOffset SwappedAt, int Starts);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ModelReleaseState))]
internal sealed partial class ModelReleaseStateJsonContext : JsonSerializerContext;
