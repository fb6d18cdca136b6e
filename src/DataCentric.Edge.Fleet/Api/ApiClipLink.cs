namespace DataCentric.Edge.Fleet.Api;

/// <summary>
/// A signed URL of a clip's bytes that works without a token until <paramref name="ExpiresAt"/>, and
/// the Foxglove link that opens it (Foxglove fetches the URL from the browser, with Range requests).
/// </summary>
public sealed record ApiClipLink(string ClipId, Uri Url, DateTimeOffset ExpiresAt, Uri FoxgloveUrl);
