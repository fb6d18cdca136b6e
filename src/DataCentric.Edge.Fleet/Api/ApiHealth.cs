namespace DataCentric.Edge.Fleet.Api;

/// <summary>The answer of <c>GET /healthz</c>: <c>ok</c>, or <c>unavailable</c> with what did not answer.</summary>
public sealed record ApiHealth(string Status, string? Detail = null);
