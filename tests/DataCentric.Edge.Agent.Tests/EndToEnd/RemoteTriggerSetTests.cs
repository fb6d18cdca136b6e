using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>
/// The whole agent (demo mode, embedded broker) taking a signed trigger set from the fleet: the
/// pinned key's set replaces the running one; a set signed by another key changes nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RemoteTriggerSetTests : IDisposable
{
    private readonly TempDirectory _keys = new("dce-keys");

    [Fact]
    public async Task SignedSet_ReplacesTheRunningSet_AndAForgedOneIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var fleetKey = FleetKeys.New();
        using var forgerKey = FleetKeys.New();
        var pinned = _keys.Combine("fleet.pub.pem");
        await File.WriteAllTextAsync(pinned, fleetKey.ExportSubjectPublicKeyInfoPem(), ct);
        await using var agent = new DemoAgent(("RemoteConfig:TrustedKeyPaths:0", pinned));
        await agent.Host.StartAsync(ct);
        var active = agent.Host.Services.GetRequiredService<ActiveTriggerSet>();
        await using var fleet = await FleetSession.OpenAsync(
            agent.Host.Services.GetRequiredService<BrokerEndpoint>(), agent.Host.Services.GetRequiredService<FleetTopics>(), ct);
        Assert.Equal(1, (await fleet.PingAsync(ct)).TriggerSetVersion);

        await fleet.PublishSignedSetAsync(version: 2, fleetKey, ct);
        await WaitUntilAsync(() => active.Current.Version == 2);
        Assert.Equal(2, (await fleet.PingAsync(ct)).TriggerSetVersion);
        Assert.Equal("missed-obstacle-v2", Assert.Single(active.Current.Triggers).Id);

        await fleet.PublishSignedSetAsync(version: 3, forgerKey, ct);
        var ack = await fleet.WaitForAsync<TriggerSetAck>(fleet.Topics.TriggerSetAck, a => a.Decision == TriggerSetDecision.Rejected, ct);
        Assert.Contains(ack.Errors, e => e.Contains("key", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, ack.ActiveVersion);
        Assert.Equal(2, active.Current.Version);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(FleetSession.Timeout);
        while (!condition())
        {
            // The device applies the set on its own thread; re-ask, bounded by the deadline.
            await Task.Delay(100, deadline.Token);
        }
    }

    public void Dispose() => _keys.Dispose();
}
