using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>Reads a bound options section in a service factory.</summary>
public static class ServiceProviderOptions
{
    public static T Options<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(this IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;

    /// <summary>Registers <c>IOptions&lt;T&gt;</c> for each section, bound as the validator binds it.</summary>
    public static IServiceCollection AddSections(this IServiceCollection services, IEnumerable<ConfigSection> sections, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(sections);
        foreach (var section in sections)
        {
            section.AddOptions(services, configuration);
        }

        return services;
    }
}
