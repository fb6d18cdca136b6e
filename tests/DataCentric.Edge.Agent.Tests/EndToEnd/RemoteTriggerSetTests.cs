using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Upload;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Mqtt;
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
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _keys = new("dce-keys");

    [Fact]
    public async Task SignedSet_ReplacesTheRunningSet_AndAForgedOneIsRefused()
    {
        using var fleetKey = FleetKeys.New();
        using var forgerKey = FleetKeys.New();
        var pinned = _keys.Combine("fleet.pub.pem");
        await File.WriteAllTextAsync(pinned, fleetKey.ExportSubjectPublicKeyInfoPem(), TestContext.Current.CancellationToken);
        await using var agent = new DemoAgent(("RemoteConfig:TrustedKeyPaths:0", pinned));
        await agent.Host.StartAsync(TestContext.Current.CancellationToken);
        var endpoint = agent.Host.Services.GetRequiredService<BrokerEndpoint>();
        var topics = agent.Host.Services.GetRequiredService<FleetTopics>();
        var active = agent.Host.Services.GetRequiredService<ActiveTriggerSet>();
        await using var fleet = new FleetClient(new UplinkOptions(), endpoint);
        await fleet.ConnectAsync(TestContext.Current.CancellationToken);
        await WaitForOnlineAsync(fleet, topics);
        Assert.Equal(1, (await PingAsync(fleet, topics)).TriggerSetVersion);

        await fleet.PublishRetainedAsync(topics.DeviceTriggerSet, Envelope(topics, version: 2, fleetKey), TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => Task.FromResult(active.Current.Version == 2));
        Assert.Equal(2, (await PingAsync(fleet, topics)).TriggerSetVersion);
        Assert.Equal("missed-obstacle-v2", Assert.Single(active.Current.Triggers).Id);

        await fleet.PublishRetainedAsync(topics.DeviceTriggerSet, Envelope(topics, version: 3, forgerKey), TestContext.Current.CancellationToken);
        var ack = await WaitForRejectionAsync(fleet, topics);
        Assert.Contains(ack.Errors, e => e.Contains("key", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, ack.ActiveVersion);
        Assert.Equal(2, active.Current.Version);
    }

    private static byte[] Envelope(FleetTopics topics, int version, System.Security.Cryptography.ECDsa key)
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
            FleetTopics.Root, topics.Fleet, new TriggerSetTarget(TargetScope.Device, topics.Device), version, TriggerSetFormat.Yaml, source, DateTimeOffset.UtcNow);
        return TriggerSetSigner.Serialize(TriggerSetSigner.Sign(payload, key));
    }

    private static async Task<PingResult> PingAsync(FleetClient fleet, FleetTopics topics)
    {
        var reply = await fleet.SendAsync(topics.Fleet, topics.Device, new CommandRequest(CommandNames.Ping), Timeout, TestContext.Current.CancellationToken);
        Assert.True(reply.Ok, reply.Error);
        return reply.Result!.Value.Deserialize<PingResult>(UplinkJson.Options)!;
    }

    /// <summary>The device says online only once its subscriptions are in place (before that a request finds nobody listening).</summary>
    private static async Task WaitForOnlineAsync(FleetClient fleet, FleetTopics topics)
    {
        var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await fleet.WatchAsync(
            topics.Status,
            message =>
            {
                var status = JsonSerializer.Deserialize<DeviceStatus>(System.Buffers.BuffersExtensions.ToArray(message.Payload), UplinkJson.Options);
                if (status is { State: "online" })
                {
                    online.TrySetResult();
                }
            },
            TestContext.Current.CancellationToken);
        await online.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    private static async Task<TriggerSetAck> WaitForRejectionAsync(FleetClient fleet, FleetTopics topics)
    {
        var acks = new TaskCompletionSource<TriggerSetAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await fleet.WatchAsync(
            topics.TriggerSetAck,
            message =>
            {
                var ack = JsonSerializer.Deserialize<TriggerSetAck>(System.Buffers.BuffersExtensions.ToArray(message.Payload), UplinkJson.Options);
                if (ack is { Decision: TriggerSetDecision.Rejected })
                {
                    acks.TrySetResult(ack);
                }
            },
            TestContext.Current.CancellationToken);
        return await acks.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Timeout);
        while (!await condition())
        {
            // The device applies the set on its own thread; re-ask, bounded by the deadline.
            await Task.Delay(100, deadline.Token);
        }
    }

    public void Dispose() => _keys.Dispose();
}
