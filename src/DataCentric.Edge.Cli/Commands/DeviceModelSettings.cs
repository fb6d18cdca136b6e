using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// What a device checks a model release against, read from its agent configuration as the agent
/// reads it: who it is (Agent, RemoteConfig:Groups), its model memory limit (ModelReleases) and the
/// models its adapters are configured for (Inference:Models).
/// </summary>
internal sealed record DeviceModelSettings(AgentOptions Agent, IReadOnlyList<string> Groups, ModelReleaseOptions Releases, IReadOnlyList<ShadowModelOptions> Models)
{
    /// <param name="configFile">The device's agent.json, or null for the agent's defaults.</param>
    /// <exception cref="UsageException">The file is missing or not a valid agent configuration (every error, with where).</exception>
    public static DeviceModelSettings Load(string? configFile)
    {
        var configuration = AgentConfigFile.Load(configFile, demo: false, out var positions);
        var errors = AgentConfiguration.Validate(configuration);
        if (errors.Count > 0)
        {
            var lines = positions is null ? [.. errors] : ConfigFileDiagnostics.Describe(configFile!, positions, errors);
            throw new UsageException($"{configFile ?? "the agent's defaults"} is not a valid agent configuration ({lines.Count} error(s)):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}");
        }

        var services = new ServiceCollection();
        foreach (var section in AgentConfiguration.Sections)
        {
            section.AddOptions(services, configuration);
        }

        using var provider = services.BuildServiceProvider();
        return new DeviceModelSettings(
            provider.Options<AgentOptions>(), [.. provider.Options<RemoteConfigOptions>().Groups],
            provider.Options<ModelReleaseOptions>(), [.. provider.Options<InferenceOptions>().Models]);
    }
}
