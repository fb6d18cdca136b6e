using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Device.Inference.Activation;

/// <summary>
/// A release this start took out of service before loading it, for the transfer side to report in
/// the model's ack (stage RolledBack, reason <see cref="ModelActivationOutcome.Failure"/>): the agent
/// kept dying after the swap (<see cref="ModelActivationFailure.CrashLoop"/>), or the released file
/// was lost or torn, e.g. by power loss mid-swap (<see cref="ModelActivationFailure.LoadFailed"/>).
/// </summary>
/// <param name="Name">The configured model's name.</param>
/// <param name="Version">The release taken out of service.</param>
/// <param name="Sha256">Its file's hash.</param>
/// <param name="Outcome">Active false, the failure and a message that says why.</param>
/// <param name="ActiveVersion">The release that runs now; 0 when it is the configured file.</param>
/// <param name="ActiveSha256">Its hash; null for the configured file (the running model's status names it once loaded).</param>
public sealed record ModelStartupRollback(string Name, int Version, string Sha256, ModelActivationOutcome Outcome, int ActiveVersion, string? ActiveSha256);
