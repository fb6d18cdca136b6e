using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>
/// The operator's confirmation of a model rollback: the release version the page showed running on the
/// device. A device that runs another version by now is not rolled back (409), so a stale page cannot undo
/// a release nobody looked at.
/// </summary>
public sealed record ModelRollbackRequest(int? Version);

/// <summary>A device's answer to <c>rollbackModel</c>, as <c>edgectl models rollback</c> prints it.</summary>
/// <param name="ActiveVersion">The release that runs after the rollback; 0: the model file of the device's own configuration.</param>
public sealed record ConsoleModelRollback(string Fleet, string Device, string Name, bool RolledBack, int ActiveVersion, string? ActiveSha256, string Message);

/// <summary>
/// A signed model release uploaded with its file, waiting for a second operator; the manifest as the devices
/// will read it. <paramref name="State"/>: pending, publishing, published, failed, rejected or expired.
/// </summary>
public sealed record ModelProposal(
    string Id,
    string State,
    string Fleet,
    string TargetScope,
    string? TargetName,
    string Topic,
    string Name,
    int Version,
    string Sha256,
    long SizeBytes,
    ModelIo Io,
    int? LatencyBudgetMs,
    string? Board,
    string? MinAgentVersion,
    string KeyId,
    string ProposedBy,
    DateTimeOffset ProposedAt,
    DateTimeOffset ExpiresAt,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Detail = null,
    int? Chunks = null);

/// <summary>A second operator's decision: approval repeats the manifest's name, version and SHA-256 the page showed; rejection says why.</summary>
public sealed record ModelProposalDecision(string? Name, int? Version, string? Sha256, string? Reason);
