using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Uplink.Tests.Connection;

[Trait("Category", "Integration")]
public sealed class DeviceStatusTests
{
    [Fact]
    public async Task RetainedStatus_CarriesHealth_WithEveryFaultedComponent()
    {
        await using var f = await UplinkFixture.StartAsync();
        f.Connection.Health = () => new HealthSummary(
            12.5, [new ModelLatency("obstacle-detector", true, 0.5, 4.6)], 3, 2, 1000, 5000, 7,
            [new ComponentHealth("camera", "/dev/video0", ComponentState.Missing, "no device node /dev/video0", DateTimeOffset.UnixEpoch)]);
        Assert.True(await f.Connection.EnsureConnectedAsync(TestContext.Current.CancellationToken));

        var status = await ReadRetainedStatusAsync(f);

        Assert.Equal("online", status.State);
        Assert.NotNull(status.Health);
        Assert.Equal(12.5, status.Health.FramesPerSecond);
        Assert.Equal(2, status.Health.UploadBacklogClips);
        var fault = Assert.Single(status.Health.Faults);
        Assert.Equal(("camera", "/dev/video0", ComponentState.Missing), (fault.Component, fault.Device, fault.State));
    }

    [Fact]
    public async Task RetainedStatus_AnnouncesTheDevicesGroups_SoTheFleetCanFilterByThem()
    {
        await using var f = await UplinkFixture.StartAsync();
        f.Connection.Groups = ["night-shift", "depot-3"];
        Assert.True(await f.Connection.EnsureConnectedAsync(TestContext.Current.CancellationToken));

        var status = await ReadRetainedStatusAsync(f);

        Assert.Equal(["night-shift", "depot-3"], status.Groups);
    }

    private static async Task<DeviceStatus> ReadRetainedStatusAsync(UplinkFixture f)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<DeviceStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var status = JsonSerializer.Deserialize<DeviceStatus>(e.ApplicationMessage.Payload.FirstSpan, UplinkJson.Options);
            if (status is not null)
            {
                received.TrySetResult(status);
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(
            new MqttClientOptionsBuilder().WithTcpServer(f.Endpoint.Host, f.Endpoint.Port).WithClientId("status-reader")
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build(),
            TestContext.Current.CancellationToken);
        await client.SubscribeAsync(f.Topics.Status, MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        return await received.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
    }
}
