using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Commands;

/// <summary>
/// What an operator's command meets when the device is not there: a device that never connected is
/// reported at once (the broker's PUBACK says nobody listens); a device that went offline keeps its
/// session, so the broker holds the request and the device answers when it is back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CommandReachabilityTests
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeviceThatNeverConnected_IsReportedAtOnce_NotAfterTheTimeout(bool mosquitto)
    {
        await using var f = mosquitto ? await UplinkFixture.StartOnMosquittoAsync() : await UplinkFixture.StartAsync();
        await using var fleet = new FleetClient(f.Options, f.Endpoint);
        await fleet.ConnectAsync(Token);

        // With a timeout longer than the test's own, only the broker's answer can end this in time.
        var send = fleet.SendAsync(f.Topics.Fleet, "never-seen", new CommandRequest(CommandNames.Ping), TimeSpan.FromMinutes(10), Token);
        var error = await Assert.ThrowsAsync<DeviceNotListeningException>(() => send.WaitAsync(AnswerTimeout, Token));

        Assert.Contains("fleet1/never-seen is not listening for commands", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeviceThatWentOffline_AnswersTheQueuedRequest_WhenItIsBack(bool mosquitto)
    {
        await using var f = mosquitto ? await UplinkFixture.StartOnMosquittoAsync() : await UplinkFixture.StartAsync();
        _ = new DeviceCommands(new CommandDependencies(f.Connection, f.Catalog, new UploadRequests(), new CommandOptions(), TimeProvider.System));
        Assert.True(await f.Connection.EnsureConnectedAsync(Token));
        await f.Connection.DisposeAsync();
        await f.WaitUntilBrokerClosedAsync(f.Connection.ClientId);
        await using var fleet = new FleetClient(f.Options, f.Endpoint);
        await fleet.ConnectAsync(Token);

        // The broker has accepted the request for the offline device before the device comes back.
        using var pending = await fleet.SubmitAsync(f.Topics.Fleet, f.Topics.Device, new CommandRequest(CommandNames.Ping), Token);
        await using var back = new DeviceConnection(f.Options, f.Endpoint, f.Topics);
        _ = new DeviceCommands(new CommandDependencies(back, f.Catalog, new UploadRequests(), new CommandOptions(), TimeProvider.System));
        Assert.True(await back.EnsureConnectedAsync(Token));

        var reply = await pending.WaitAsync(AnswerTimeout, Token);
        Assert.True(reply.Ok, reply.Error);
    }
}
