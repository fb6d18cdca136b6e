namespace DataCentric.Edge.Core.Configuration;

/// <summary>Why a reflection call the trim analyzer cannot follow is safe in the trimmed agent.</summary>
public static class TrimJustifications
{
    /// <summary>
    /// The agent is published with TrimMode=partial (tools/publish.sh): only the framework and the
    /// libraries that declare themselves trimmable are trimmed, so this solution's types (options,
    /// LiteDB documents) keep every property and constructor.
    /// </summary>
    public const string OwnTypes =
        "Reflects over this solution's own types, which the agent's partial trim keeps whole; the install tests run this path in the published agent.";
}
