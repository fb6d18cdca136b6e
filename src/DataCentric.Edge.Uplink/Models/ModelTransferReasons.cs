namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// Ack reasons of the transfer itself, beside the verifier's refusals (<see cref="ModelReleaseRefusal"/>)
/// and the activator's failures: why a download waits (stage <c>downloading</c>), and the refusals
/// that only a transfer can meet.
/// </summary>
public static class ModelTransferReasons
{
    /// <summary>Waits: today's <c>ModelReleases:DownloadBudgetBytesPerDay</c> is spent; it goes on at the next UTC day.</summary>
    public const string OverDownloadBudget = "overDownloadBudget";

    /// <summary>Waits: the network policy (<c>WifiOnly</c>, <c>AllowedInterfaces</c>) does not allow the current route.</summary>
    public const string NetworkNotAllowed = "networkNotAllowed";

    /// <summary>Waits: a chunk asked for did not arrive within <c>ModelReleases:ChunkTimeout</c> (not on the broker yet).</summary>
    public const string ChunkMissing = "chunkMissing";

    /// <summary>Refused: a newer release of the same model came while this one was pending.</summary>
    public const string Superseded = "superseded";

    /// <summary>Refused: the agent has nothing that can put a model into service.</summary>
    public const string NoActivator = "noActivator";

    /// <summary>Refused: the release names another model than the topic it was published on.</summary>
    public const string WrongTopic = "wrongTopic";

    /// <summary>Rolled back by a fleet manager (<c>rollbackModel</c>).</summary>
    public const string RolledBackByCommand = "rollbackCommand";

    /// <summary>The camelCase wire name of an enum value (refusals and activation failures).</summary>
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
