using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Pipeline;

/// <summary>
/// What every clip says about where it came from: device, agent version, shadow model. A model
/// release swapped in changes the models' list, and every later clip and event names the new hash.
/// </summary>
public sealed class ClipMetadata
{
    private readonly AgentOptions _agent;
    private readonly IInferenceEngine _engine;
    private volatile Snapshot _current;

    public ClipMetadata(IOptions<AgentOptions> agent, IInferenceEngine engine)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(engine);
        _agent = agent.Value;
        _engine = engine;
        _current = Describe(engine.Models);
    }

    public IReadOnlyDictionary<string, string> Values => Current.Values;

    /// <summary>The models' hashes as clips, their manifests and the catalog's trigger events carry them.</summary>
    public string ModelSha256 => Current.ModelSha256;

    // The engine hands out the same list until a model changes: rebuilt only then.
    private Snapshot Current
    {
        get
        {
            var models = _engine.Models;
            var current = _current;
            return ReferenceEquals(current.Models, models) ? current : _current = Describe(models);
        }
    }

    private Snapshot Describe(IReadOnlyList<ModelInfo> models)
    {
        var sha256 = Joined(models, m => m.Sha256);
        return new Snapshot(models, sha256, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device.id"] = _agent.DeviceId,
            ["device.fleet"] = _agent.Fleet,
            ["agent.version"] = typeof(ClipMetadata).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            ["model.name"] = Joined(models, m => m.Name),
            [ClipFileStore.ModelShaKey] = sha256,
            ["model.producer"] = Joined(models, m => m.Producer),
            ["model.version"] = Joined(models, m => m.Version),
        });
    }

    private sealed record Snapshot(IReadOnlyList<ModelInfo> Models, string ModelSha256, IReadOnlyDictionary<string, string> Values);

    /// <summary>
    /// The wire has room for one model: each field is the models' values joined with ',' in
    /// configuration order (a single model's own value), as the contract has always had it.
    /// </summary>
    private static string Joined(IReadOnlyList<ModelInfo> models, Func<ModelInfo, string> field) => string.Join(',', models.Select(field));
}
