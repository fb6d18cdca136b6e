using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// What a device checks a model release against: who it is, its groups and pinned keys (the same
/// as for trigger sets), the agent's version, the largest model it may load, and its adapters.
/// </summary>
public sealed record ModelReleaseDevice(
    string Fleet,
    string Device,
    IReadOnlyCollection<string> Groups,
    IReadOnlyDictionary<string, ECDsa> TrustedKeys,
    Version AgentVersion,
    long MaxModelBytes,
    IModelContractCheck Adapters)
{
    /// <summary>A release envelope holds the manifest only (the file travels apart), so it is small.</summary>
    public int MaxEnvelopeBytes { get; init; } = 64 * 1024;
}
