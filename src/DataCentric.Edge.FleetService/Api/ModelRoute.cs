using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>The model name of a <c>/api/models/{name}/...</c> route, checked as an MQTT topic segment.</summary>
internal static class ModelRoute
{
    public static string Name(HttpContext context) => Check((string?)context.Request.RouteValues["name"], "name");

    /// <exception cref="ApiInputException">Empty, over 200 characters, or not usable as one topic segment.</exception>
    public static string Check(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > CatalogGuard.MaxIdLength || name.IndexOfAny(['/', '+', '#']) >= 0 || name.Any(char.IsControl))
        {
            throw new ApiInputException($"{field} '{name}': a model name is 1-{CatalogGuard.MaxIdLength} characters without '/', '+', '#' or control characters");
        }

        return name;
    }
}
