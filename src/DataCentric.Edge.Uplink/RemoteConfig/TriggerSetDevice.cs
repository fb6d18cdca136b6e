using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>What a device checks a set against: who it is, its groups, its pinned keys, its signals.</summary>
public sealed record TriggerSetDevice(
    string Fleet,
    string Device,
    IReadOnlyCollection<string> Groups,
    IReadOnlyDictionary<string, System.Security.Cryptography.ECDsa> TrustedKeys,
    IReadOnlyList<(string Name, SignalKind Kind)> Signals,
    int MaxEnvelopeBytes);
