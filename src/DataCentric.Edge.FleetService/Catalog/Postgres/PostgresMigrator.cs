using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>
/// Brings the catalog's schema to <see cref="CatalogMigration.LatestVersion"/> at start, in one
/// transaction under an advisory lock, so receivers starting together migrate once and any failure
/// leaves the schema as it was. <c>schema_version</c> lists every version applied.
/// </summary>
public sealed partial class PostgresMigrator(NpgsqlDataSource dataSource, ILogger<PostgresMigrator> logger)
{
    /// <summary>The advisory lock every dce-fleet takes to migrate ("dce-flt" and the lock's own version).</summary>
    internal const long LockKey = 0x6463_652D_666C_7401;

    /// <summary>The schema version this code writes.</summary>
    public static int CodeVersion => CatalogMigration.LatestVersion;

    /// <returns>The schema version the database is at now (<see cref="CodeVersion"/>).</returns>
    /// <exception cref="CatalogSchemaTooNewException">The database is at a newer version than <see cref="CodeVersion"/>; nothing was changed.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken).ConfigureAwait(false);

        int current;
        await using (var versionCommand = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection, transaction))
        {
            current = (int)(await versionCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        if (current > CodeVersion)
        {
            LogSchemaTooNew(logger, current, CodeVersion);
            throw new CatalogSchemaTooNewException(current, CodeVersion);
        }

        foreach (var migration in CatalogMigration.All.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, name) VALUES (@version, @name)", connection, transaction);
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            LogMigrationApplied(logger, migration.Version, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogSchemaCurrent(logger, CodeVersion, current);
        return CodeVersion;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Fleet catalog schema migrated to version {Version} ({Name})")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Fleet catalog schema at version {Version} (was {PreviousVersion})")]
    private static partial void LogSchemaCurrent(ILogger logger, int version, int previousVersion);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Critical, Message = "Fleet catalog database is at schema version {DatabaseVersion}, newer than this dce-fleet's {CodeVersion}: refusing to start")]
    private static partial void LogSchemaTooNew(ILogger logger, int databaseVersion, int codeVersion);
}
