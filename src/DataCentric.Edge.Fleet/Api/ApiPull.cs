namespace DataCentric.Edge.Fleet.Api;

/// <summary>A time window of one device an engineer asked for, and how far the pull got.</summary>
/// <param name="State">requested, sent, completed, failed or cancelled.</param>
public sealed record ApiPull(
    string PullId,
    string Fleet,
    string Device,
    DateTimeOffset WindowFrom,
    DateTimeOffset WindowTo,
    int Priority,
    string State,
    string? Detail,
    DateTimeOffset RequestedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The body of <c>POST /api/pulls</c>; <paramref name="PullId"/> makes a retry harmless (one is made when absent).</summary>
public sealed record ApiNewPull(string Fleet, string Device, DateTimeOffset WindowFrom, DateTimeOffset WindowTo, int Priority = 0, string? PullId = null);

/// <summary>The body of <c>POST /api/pulls/{id}/cancel</c> (JSON, so a cross-site form cannot send it); the reason is optional.</summary>
public sealed record ApiPullCancel(string? Reason = null);
