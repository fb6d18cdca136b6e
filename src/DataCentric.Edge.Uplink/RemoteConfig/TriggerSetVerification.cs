using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Upload;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>The outcome of checking a signed set: the compiled set, or every reason it was refused.</summary>
public sealed record TriggerSetVerification(CompiledTriggerSet? Set, TriggerSetPayload? Payload, string? KeyId, IReadOnlyList<string> Errors)
{
    public bool Accepted => Set is not null && Errors.Count == 0;
}
