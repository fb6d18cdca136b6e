namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>
/// The database was migrated by a newer dce-fleet than this one: this one refuses to start rather
/// than write rows the newer schema does not expect. Policy: fatal at start (exit non-zero).
/// </summary>
public sealed class CatalogSchemaTooNewException : InvalidOperationException
{
    public CatalogSchemaTooNewException(int databaseVersion, int codeVersion)
        : base($"The fleet catalog database is at schema version {databaseVersion}, newer than this dce-fleet knows " +
            $"(schema version {codeVersion}). Run a dce-fleet release whose schema is at least {databaseVersion}, " +
            "or point it at another database; it will not change a schema it does not know.")
    {
        DatabaseVersion = databaseVersion;
        CodeVersion = codeVersion;
    }

    public CatalogSchemaTooNewException()
    {
    }

    public CatalogSchemaTooNewException(string message)
        : base(message)
    {
    }

    public CatalogSchemaTooNewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int DatabaseVersion { get; }

    public int CodeVersion { get; }
}
