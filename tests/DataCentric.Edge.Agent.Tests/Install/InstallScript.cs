using System.Diagnostics.CodeAnalysis;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>tools/install.sh run into a staging root, and the config it leaves there read as the agent reads it.</summary>
internal static class InstallScript
{
    public static string Path => System.IO.Path.Combine(PublishedAgent.RepositoryRoot, "tools", "install.sh");

    /// <summary>Runs install.sh with <paramref name="args"/> plus <c>--from</c> the linux-x64 publish and <c>--prefix</c> <paramref name="root"/>.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(TempDirectory root, IEnumerable<string> args, CancellationToken ct)
    {
        var published = await PublishedAgent.EnsureAsync(ct);
        return await PublishedAgent.RunAsync("bash", [Path, .. args, "--from", published, "--prefix", root.Path], null, ct);
    }

    /// <summary>Installs and asserts it worked; returns what the script printed.</summary>
    public static async Task<string> InstallAsync(TempDirectory root, IEnumerable<string> args, CancellationToken ct)
    {
        var (exit, output) = await RunAsync(root, args, ct);
        Assert.True(exit == 0, output);
        return output;
    }

    /// <summary>A fresh staging root for a machine whose <c>/etc/machine-id</c> is <paramref name="machineId"/> (what <c>--device-id auto</c> derives the id from).</summary>
    public static TempDirectory MachineRoot(string machineId)
    {
        var root = new TempDirectory("dce-machine");
        Directory.CreateDirectory(root.Combine("etc"));
        File.WriteAllText(root.Combine("etc", "machine-id"), machineId + "\n");
        return root;
    }

    public static string ConfigPath(TempDirectory root) => root.Combine("etc", "dce-agent", "agent.json");

    /// <summary>A path the installed config names (absolute on the board), inside the staging root.</summary>
    public static string Staged(TempDirectory root, string boardPath) => root.Combine(boardPath.TrimStart('/'));

    /// <summary>The installed config as the agent loads it at start (defaults, then the file), checked by the agent's own validator.</summary>
    public static IConfigurationRoot LoadInstalledConfig(TempDirectory root)
    {
        var configuration = AgentHost.BuildConfiguration(new AgentCommandLine(AgentMode.Run, TimeSpan.FromSeconds(1), "out", ConfigPath(root), null));
        Assert.Empty(AgentConfiguration.Validate(configuration));
        return configuration;
    }

    /// <summary>One section bound with the agent's own (strict, source-generated) binder.</summary>
    public static T Bind<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(IConfiguration configuration)
        where T : class, new() =>
        AgentConfiguration.Sections.OfType<ConfigSection<T>>().Single().Get(configuration);
}
