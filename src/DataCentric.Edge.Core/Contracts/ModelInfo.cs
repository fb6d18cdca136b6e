namespace DataCentric.Edge.Core.Contracts;

/// <summary>Which shadow model produced a signal: travels with every trigger event and clip.</summary>
public sealed record ModelInfo(string Name, string Sha256, string Producer, string Version);
