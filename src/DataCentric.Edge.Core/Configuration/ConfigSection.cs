using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>One section of the agent's configuration and the options type it binds to.</summary>
public abstract class ConfigSection(string name)
{
    /// <summary>Binder settings for every section: a key no option knows is an error, not ignored.</summary>
    public static Action<BinderOptions> Strict { get; } = b => b.ErrorOnUnknownConfiguration = true;

    /// <summary>The section's key, e.g. <c>Sources:Camera</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The options type, for the schema.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public abstract Type OptionsType { get; }

    /// <summary>Binds the section, unknown keys included as errors; a missing section gives the defaults.</summary>
    /// <exception cref="InvalidOperationException">A value does not convert or a key is unknown (the message names it).</exception>
    public abstract object Bind(IConfiguration root);

    /// <summary>Registers <c>IOptions&lt;T&gt;</c> for the section, bound the same way.</summary>
    public abstract void AddOptions(IServiceCollection services, IConfiguration root);
}

/// <summary>
/// A section bound by <paramref name="bind"/>, which each declaration spells out with its concrete type:
/// the configuration binder's source generator only serves calls whose type it sees at compile time,
/// and the reflection binder cannot run in the Native AOT agent (it instantiates generic types at run time).
/// </summary>
public sealed class ConfigSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(
    string name, Action<IConfiguration, T> bind) : ConfigSection(name)
    where T : class, new()
{
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public override Type OptionsType => typeof(T);

    public override object Bind(IConfiguration root) => Get(root);

    public override void AddOptions(IServiceCollection services, IConfiguration root) =>
        services.AddOptions<T>().Configure(options => bind(root.GetSection(Name), options));

    /// <summary>The section's options, bound strictly as the validator binds them; a missing section gives the defaults.</summary>
    /// <exception cref="InvalidOperationException">A value does not convert or a key is unknown (the message names it).</exception>
    public T Get(IConfiguration root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var options = new T();
        bind(root.GetSection(Name), options);
        return options;
    }
}
