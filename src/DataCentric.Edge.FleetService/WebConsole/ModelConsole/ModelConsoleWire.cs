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
