namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// One shadow model: which file (its SHA-256) produced a signal. Travels with every trigger event and
/// clip; where the wire has room for one model only (the clip's <c>model.*</c> metadata, the manifest's
/// <c>modelSha256</c>), the agent's clip metadata joins the models' values with ',' in configuration order.
/// </summary>
public sealed record ModelInfo(string Name, string Sha256, string Producer, string Version);
