namespace DataCentric.Edge.Fleet.Api;

/// <summary>The answer to <c>POST /api/triggers/push</c>: where the signed set now sits retained, and its version.</summary>
public sealed record ApiTriggerPush(string Topic, int Version);
