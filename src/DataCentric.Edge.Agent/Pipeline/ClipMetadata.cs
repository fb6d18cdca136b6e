using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Pipeline;

/// <summary>What every clip says about where it came from: device, agent version, shadow model.</summary>
public sealed class ClipMetadata
{
    public ClipMetadata(IOptions<AgentOptions> agent, IInferenceEngine engine)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(engine);
        var models = engine.Models;
        ModelSha256 = Joined(models, m => m.Sha256);
        Values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device.id"] = agent.Value.DeviceId,
            ["device.fleet"] = agent.Value.Fleet,
            ["agent.version"] = typeof(ClipMetadata).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            ["model.name"] = Joined(models, m => m.Name),
            [ClipFileStore.ModelShaKey] = ModelSha256,
            ["model.producer"] = Joined(models, m => m.Producer),
            ["model.version"] = Joined(models, m => m.Version),
        };
    }

    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The models' hashes as clips, their manifests and the catalog's trigger events carry them.</summary>
    public string ModelSha256 { get; }

    /// <summary>
    /// The wire has room for one model: each field is the models' values joined with ',' in
    /// configuration order (a single model's own value), as the contract has always had it.
    /// </summary>
    private static string Joined(IReadOnlyList<ModelInfo> models, Func<ModelInfo, string> field) => string.Join(',', models.Select(field));
}
