namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>Model releases uploaded on the Models page (<c>ConsoleModels</c> section); approval follows <c>ConsoleTriggers:AllowSelfApproval</c>.</summary>
public sealed class ConsoleModelOptions
{
    public const string SectionName = "ConsoleModels";

    /// <summary>
    /// Where uploaded model files wait for approval, each process's in its own locked subfolder (processes on one host may
    /// share the folder); a gone process's subfolder is removed at the next start (pending proposals live in memory).
    /// Null: a folder under the system temp folder.
    /// </summary>
    public string? UploadDirectory { get; set; }

    /// <summary>The largest model file one upload may carry (the request body limit of that endpoint only).</summary>
    public long MaxModelBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long a proposal waits for a second operator before it expires and its file is removed.</summary>
    public TimeSpan ProposalLifetime { get; set; } = TimeSpan.FromHours(24);

    internal string UploadFolder => UploadDirectory ?? Path.Combine(Path.GetTempPath(), "dce-fleet-model-uploads");
}
