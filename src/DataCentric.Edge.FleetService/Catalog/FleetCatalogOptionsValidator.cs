using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>Checked at start (ValidateOnStart): every problem of the section at once, with its key.</summary>
internal sealed class FleetCatalogOptionsValidator : IValidateOptions<FleetCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetCatalogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{FleetCatalogOptions.SectionName}:Provider: '{options.Provider}' is not one of {string.Join(", ", Enum.GetNames<FleetCatalogProvider>())}.");
        }

        if (options.Provider == FleetCatalogProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{FleetCatalogOptions.SectionName}:ConnectionString: required when the provider is Postgres.");
        }

        if (options.Provider == FleetCatalogProvider.Embedded && string.IsNullOrWhiteSpace(options.EmbeddedPath))
        {
            errors.Add($"{FleetCatalogOptions.SectionName}:EmbeddedPath: required when the provider is Embedded.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
