namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Turns "limit + 1 rows in sort order" into a page and the cursor of its last row.</summary>
internal static class CatalogPages
{
    public static CatalogPage<T> From<T>(List<T> rows, int limit, Func<T, PageCursor> keyOf) =>
        From(rows, limit, row => keyOf(row).Encode());

    public static CatalogPage<T> From<T>(List<T> rows, int limit, Func<T, string> cursorOf)
    {
        if (rows.Count <= limit)
        {
            return new CatalogPage<T>(rows, null);
        }

        rows.RemoveRange(limit, rows.Count - limit);
        return new CatalogPage<T>(rows, cursorOf(rows[^1]));
    }
}
