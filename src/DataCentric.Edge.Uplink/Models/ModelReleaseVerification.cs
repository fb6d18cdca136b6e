using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>The outcome of checking a release: its signed manifest (when the signature held) and every reason it was refused.</summary>
public sealed record ModelReleaseVerification(ModelReleasePayload? Release, string? KeyId, IReadOnlyList<ModelReleaseProblem> Problems)
{
    public bool Accepted => Release is not null && Problems.Count == 0;
}
