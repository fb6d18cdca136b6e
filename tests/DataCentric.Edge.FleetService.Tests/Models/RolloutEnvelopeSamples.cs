using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Models;
using static DataCentric.Edge.FleetService.Tests.Catalog.ModelSamples;

namespace DataCentric.Edge.FleetService.Tests.Models;

/// <summary>Release envelopes signed as <c>edgectl models sign</c> signs them (real key, real signer), and rollout request bodies built from their exact bytes.</summary>
internal sealed class RolloutEnvelopeSamples : IDisposable
{
    private readonly ECDsa _key = Uplink.RemoteConfig.FleetKeys.New();

    public static ModelReleasePayload Release(TriggerSetTarget target, int version = 3, string name = "det", string fleet = "acme") =>
        new(
            FleetTopics.Root,
            fleet,
            target,
            name,
            version,
            ModelSha(name, version),
            11_689_512,
            new ModelIo([new ModelTensor("Input247", "float", [1, 3, 224, 224])], [new ModelTensor("Pooling395_Output_0", "float", [1, 512, 1, 1])]),
            DateTimeOffset.UtcNow)
        {
            LatencyBudgetMs = 40,
        };

    public static TriggerSetTarget Device(string id) => new(TargetScope.Device, id);

    public static TriggerSetTarget WholeFleet => new(TargetScope.Fleet, null);

    public byte[] Sign(ModelReleasePayload release) => ModelReleaseSigner.Sign(release, _key);

    public string Envelope(TriggerSetTarget target, int version = 3, string name = "det") => Encoding.UTF8.GetString(Sign(Release(target, version, name)));

    /// <summary>A rollout request body: the canary percentage and each stage's envelopes, their JSON as signed.</summary>
    public static string Body(int percent, params IEnumerable<string>[] stages) =>
        $$"""{"canaryPercent":{{percent}},"stages":[{{string.Join(",", stages.Select(s => $$"""{"envelopes":[{{string.Join(",", s)}}]}"""))}}]}""";

    /// <summary>The canaries a percentage of <paramref name="devices"/> must be, as the contract states it: lowest SHA-256 of "fleet/device" first.</summary>
    public static List<string> ExpectedCanaries(string fleet, IEnumerable<string> devices, int count) =>
        [.. devices.OrderBy(d => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{fleet}/{d}"))), StringComparer.Ordinal).Take(count)];

    public void Dispose() => _key.Dispose();
}
