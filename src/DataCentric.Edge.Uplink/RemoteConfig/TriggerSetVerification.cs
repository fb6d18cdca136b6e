using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>The outcome of checking a signed set: the compiled set, or every reason it was refused.</summary>
public sealed record TriggerSetVerification(CompiledTriggerSet? Set, TriggerSetPayload? Payload, string? KeyId, IReadOnlyList<string> Errors)
{
    public bool Accepted => Set is not null && Errors.Count == 0;
}
