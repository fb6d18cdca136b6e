namespace DataCentric.Edge.Fleet.Api;

/// <summary>An error answer (RFC 9457 problem details, <c>application/problem+json</c>): <paramref name="Detail"/> says what and where.</summary>
public sealed record ApiProblem(string Title, int Status, string Detail);
