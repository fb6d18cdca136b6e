using DataCentric.Edge.Agent.Tests.Health;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// A device set up by tools/install.sh alone in a staging root, and its agent started from the
/// installed config as the unit starts it. Only the files the config names under /etc are read from
/// the staging root (as the other install tests read /var/lib from it); every other value is the
/// one install.sh wrote.
/// </summary>
internal sealed class InstalledDevice
{
    private InstalledDevice(TempDirectory root, IConfigurationRoot configuration)
    {
        Root = root;
        Configuration = configuration;
        var agent = InstallScript.Bind<AgentOptions>(configuration);
        (Fleet, DeviceId) = (agent.Fleet, agent.DeviceId);
    }

    public TempDirectory Root { get; }

    /// <summary>The installed config as the agent loads it, checked by the agent's own validator.</summary>
    public IConfigurationRoot Configuration { get; }

    public string Fleet { get; }

    public string DeviceId { get; }

    /// <summary>Runs install.sh into <paramref name="root"/> with <paramref name="args"/> (asserting it worked) and reads what it installed.</summary>
    public static async Task<InstalledDevice> InstallAsync(TempDirectory root, IEnumerable<string> args, CancellationToken ct)
    {
        await InstallScript.InstallAsync(root, args, ct);
        return new InstalledDevice(root, InstallScript.LoadInstalledConfig(root));
    }

    /// <summary>
    /// Starts the installed agent in run mode (<c>dce-agent run --config /etc/dce-agent/agent.json</c>)
    /// with the staged TLS files and trusted keys, a free metrics port and a free controller port (so
    /// several devices share this machine), plus <paramref name="overrides"/> for hardware this machine lacks.
    /// </summary>
    public InstallTests.RunningAgent Start(params (string Key, string Value)[] overrides)
    {
        var uplink = InstallScript.Bind<UplinkOptions>(Configuration);
        var remote = InstallScript.Bind<RemoteConfigOptions>(Configuration);
        (string, string)[] staged =
        [
            ("DCE_Sources__Controller__UdpPort", $"{PrometheusText.FreePort()}"),
            // The install tests' environment turns the uplink off (port 0): put back the installed port.
            ("DCE_Uplink__Port", $"{uplink.Port}"),
            ("DCE_Uplink__CaCertificatePath", InstallScript.Staged(Root, uplink.CaCertificatePath!)),
            ("DCE_Uplink__ClientCertificatePath", InstallScript.Staged(Root, uplink.ClientCertificatePath!)),
            ("DCE_Uplink__ClientKeyPath", InstallScript.Staged(Root, uplink.ClientKeyPath!)),
            .. remote.TrustedKeyPaths.Select((path, i) => ($"DCE_RemoteConfig__TrustedKeyPaths__{i}", InstallScript.Staged(Root, path))),
        ];
        return InstallTests.Start(Root, ["run", "--config", InstallScript.ConfigPath(Root)], PrometheusText.FreePort(), [.. staged, .. overrides]);
    }
}
