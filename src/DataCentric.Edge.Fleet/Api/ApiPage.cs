namespace DataCentric.Edge.Fleet.Api;

/// <summary>One page of a listing; pass <paramref name="Next"/> as <c>?after=</c> for the next page (null: the last page).</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, string? Next);
