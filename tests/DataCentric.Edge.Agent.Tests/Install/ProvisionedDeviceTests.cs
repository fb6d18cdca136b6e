using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// A device provisioned by tools/install.sh alone reaches the fleet: the installed agent, with the
/// certificate, fleet, id, group and trusted key the script wrote, connects to mosquitto with TLS and
/// the shipped ACL, shows up online to the fleet tools, and takes a signed set pushed to its group.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProvisionedDeviceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ProvisionedDevice_IsOnlineInItsFleet_AndTakesASetPushedToItsGroup()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await SecureBroker.StartAsync(cancellationToken: ct);
        using var root = new TempDirectory("dce-provisioned");
        using var inputs = new TempDirectory("dce-provisioned-inputs");
        var (certificate, key) = broker.Pki.IssueClient("dev-7");
        using var fleetKey = FleetKeys.New();
        var fleetPublicKey = inputs.Combine("fleet.pub");
        await File.WriteAllTextAsync(fleetPublicKey, fleetKey.ExportSubjectPublicKeyInfoPem(), ct);

        var device = await InstalledDevice.InstallAsync(
            root,
            ["--board", "generic-x64", "--fleet", "f1", "--device-id", "dev-7", "--broker", $"127.0.0.1:{broker.Endpoint.Port}",
             "--ca", broker.Pki.CaCertificatePath, "--cert", certificate, "--key", key, "--trusted-key", fleetPublicKey, "--group", "lab"],
            ct);
        Assert.Equal(("f1", "dev-7"), (device.Fleet, device.DeviceId));
        using var agent = device.Start();

        // The fleet's view, as edgectl gets it: the operator identity on the tools listener.
        await using var fleet = new FleetClient(broker.OptionsFor("dce-operator"), broker.ToolsEndpoint);
        await fleet.ConnectAsync(ct);
        var topics = new FleetTopics("f1", "dev-7");
        var online = await FirstAsync<DeviceStatus>(fleet, topics.Status, s => s.State == "online", agent, ct);
        Assert.Equal(("f1", "dev-7"), (online.Fleet, online.Device));

        await fleet.PublishRetainedAsync(FleetTopics.GroupTriggerSet("f1", "lab"), SignedGroupSet("f1", "lab", version: 2, fleetKey), ct);
        var ack = await FirstAsync<TriggerSetAck>(fleet, topics.TriggerSetAck, a => a.Version == 2, agent, ct);

        Assert.True(ack.Decision == TriggerSetDecision.Accepted, string.Join("; ", ack.Errors) + agent.Text);
        Assert.Equal("dev-7", ack.Device);
        await InstallTests.StopWithSigtermAsync(agent, ct);
        Assert.Equal(0, agent.Process.ExitCode);
    }

    /// <summary>The first message on <paramref name="topic"/> (retained ones included) that matches; fails with the agent's output after <see cref="Wait"/>.</summary>
    private static async Task<T> FirstAsync<T>(FleetClient fleet, string topic, Func<T, bool> match, InstallTests.RunningAgent agent, CancellationToken ct)
        where T : class
    {
        var found = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await fleet.WatchAsync(
            topic,
            message =>
            {
                if (UplinkJson.Deserialize<T>(message.Payload) is { } value && match(value))
                {
                    found.TrySetResult(value);
                }
            },
            ct);
        try
        {
            return await found.Task.WaitAsync(Wait, ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"nothing matching on {topic} within {Wait.TotalSeconds:0} s. The agent's output:\n{agent.Text}");
            throw;
        }
    }

    private static byte[] SignedGroupSet(string fleet, string group, int version, System.Security.Cryptography.ECDsa key)
    {
        var source = $$"""
            schemaVersion: 1
            version: {{version}}
            triggers:
              - id: missed-obstacle-v{{version}}
                when: held(shadow.obstacle > 0.6 and not primary.brake, 300ms)
                pre: 2s
                post: 1s
                cooldown: 3s
            """;
        var payload = new TriggerSetPayload(
            FleetTopics.Root, fleet, new TriggerSetTarget(TargetScope.Group, group), version, TriggerSetFormat.Yaml, source, DateTimeOffset.UtcNow);
        return TriggerSetSigner.Serialize(TriggerSetSigner.Sign(payload, key));
    }
}
