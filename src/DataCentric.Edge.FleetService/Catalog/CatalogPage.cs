namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>One page of a listing; pass <paramref name="Next"/> as the next query's <c>After</c> (null: the last page).</summary>
/// <remarks>
/// Keyset paging: the cursor is the last row's sort key, so rows added while paging (newer ones at
/// the front) neither repeat nor push rows off a page.
/// </remarks>
public sealed record CatalogPage<T>(IReadOnlyList<T> Items, string? Next);
