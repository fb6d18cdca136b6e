using Npgsql;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>Typed parameters (no boxing, no type guessing, nulls included) and reading rows into records.</summary>
internal static class NpgsqlCommandExtensions
{
    public static void Add<T>(this NpgsqlCommand command, string name, T value) =>
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));

    public static async Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Adds <c>AND</c>-joined conditions as a WHERE clause (nothing when there are none).</summary>
    public static string Where(IReadOnlyCollection<string> conditions) =>
        conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);
}
