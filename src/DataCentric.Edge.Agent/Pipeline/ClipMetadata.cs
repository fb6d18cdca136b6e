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
        Values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device.id"] = agent.Value.DeviceId,
            ["device.fleet"] = agent.Value.Fleet,
            ["agent.version"] = typeof(ClipMetadata).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            ["model.name"] = engine.Model.Name,
            [ClipFileStore.ModelShaKey] = engine.Model.Sha256,
            ["model.producer"] = engine.Model.Producer,
            ["model.version"] = engine.Model.Version,
        };
    }

    public IReadOnlyDictionary<string, string> Values { get; }
}
