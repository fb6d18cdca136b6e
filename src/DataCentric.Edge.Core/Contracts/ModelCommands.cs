namespace DataCentric.Edge.Core.Contracts;

public static partial class CommandNames
{
    /// <summary>Put the model that ran before the active release of a model name back into service (request: <c>modelName</c>).</summary>
    public const string RollbackModel = "rollbackModel";
}

/// <summary>
/// What <c>rollbackModel</c> did: whether it rolled back, and the release of the model running now
/// (version 0 and no SHA-256: the configured model file). <see cref="Message"/> says why not, or the activator's note.
/// </summary>
public sealed record ModelRollbackResult(string ModelName, bool RolledBack, int ActiveVersion, string? ActiveSha256)
{
    public string? Message { get; init; }
}
