using System.Globalization;

namespace DataCentric.Edge.FleetService.Catalog.Postgres;

/// <summary>One schema step: <c>Catalog/Migrations/{version:0000}_{name}.sql</c>, embedded in the assembly.</summary>
internal sealed record CatalogMigration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Catalog.Migrations.";

    /// <summary>Every migration, by version; the versions must run 1, 2, 3… with no gap or repeat.</summary>
    public static IReadOnlyList<CatalogMigration> All { get; } = Load();

    public static int LatestVersion => All[^1].Version;

    private static CatalogMigration[] Load()
    {
        var assembly = typeof(CatalogMigration).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(resource =>
            {
                var file = resource[ResourcePrefix.Length..^".sql".Length];
                var underscore = file.IndexOf('_', StringComparison.Ordinal);
                if (underscore < 1 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    throw new InvalidOperationException($"Migration '{file}.sql' is not named {{version}}_{{name}}.sql.");
                }

                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream);
                return new CatalogMigration(version, file[(underscore + 1)..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToArray();

        for (var i = 0; i < migrations.Length; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Migrations must be numbered 1, 2, 3… without gaps or repeats; found {string.Join(", ", migrations.Select(m => m.Version))}.");
            }
        }

        return migrations.Length > 0 ? migrations : throw new InvalidOperationException("No catalog migration is embedded in the assembly.");
    }
}
