namespace DataCentric.Edge.Buffer.LiteDb;

/// <summary>
/// The catalog's <c>-log.db</c> was written against a different data file than the one next to it
/// (the <c>.db</c> was replaced or restored). LiteDB would replay it into the wrong file, so the
/// agent refuses to open the catalog and changes nothing.
/// </summary>
public sealed class StaleCatalogLogException : IOException
{
    public StaleCatalogLogException()
    {
    }

    public StaleCatalogLogException(string message)
        : base(message)
    {
    }

    public StaleCatalogLogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
