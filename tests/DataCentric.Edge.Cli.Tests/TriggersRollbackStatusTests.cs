using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Commands;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Cli.Tests;

/// <summary>
/// <c>triggers status</c> after <c>triggers rollback</c>, on mosquitto: the device's retained ack
/// follows the rollback, so the set rolled back from is no longer shown accepted and active.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TriggersRollbackStatusTests
{
    [Fact]
    public async Task AfterARollback_StatusShowsTheSetRolledBackFromAsRefused_AndTheVersionNowActive()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancellationToken);
        using var dir = new TempDirectory();
        var keyPrefix = dir.Combine("fleet");
        Assert.Equal(0, (await Edgectl.RunAsync("keys", "new", "--out", keyPrefix)).Exit);
        var active = new ActiveTriggerSet(TriggerSetCompiler.Compile(FleetUnderTest.SetSource(1), TriggerSourceFormat.Yaml, FleetUnderTest.Signals).GetSetOrThrow());
        var topics = new FleetTopics(FleetUnderTest.Fleet, FleetUnderTest.Device);
        await using var connection = new DeviceConnection(new UplinkOptions { Port = broker.Port }, new BrokerEndpoint("127.0.0.1", broker.Port), topics);
        var device = new TriggerSetDevice(FleetUnderTest.Fleet, FleetUnderTest.Device, [], FleetKeys.LoadTrusted([keyPrefix + ".pub"]), FleetUnderTest.Signals, 64 * 1024);
        using var remote = new RemoteTriggerSets(connection, active, device, dir.Combine("sets"), TimeProvider.System);
        using var catalog = new LiteDbClipCatalog(dir.Combine("catalog.db"));
        _ = new DeviceCommands(new CommandDependencies(connection, catalog, new Uplink.Upload.UploadRequests(), new CommandOptions(), TimeProvider.System) { TriggerSets = active });
        Assert.True(await connection.EnsureConnectedAsync(cancellationToken));
        string[] common = ["--broker", $"127.0.0.1:{broker.Port.ToString(CultureInfo.InvariantCulture)}", "--fleet", FleetUnderTest.Fleet, "--timeout", "00:00:10"];

        var set = dir.Combine("v5.yaml");
        await File.WriteAllTextAsync(set, FleetUnderTest.SetSource(5), cancellationToken);
        var envelope = dir.Combine("v5.envelope.json");
        var sign = await Edgectl.RunAsync("triggers", "sign", set, "--key", keyPrefix + ".key", "--target", "device:d1", "--fleet", FleetUnderTest.Fleet, "--out", envelope);
        Assert.True(sign.Exit == 0, sign.Error);
        var push = await Edgectl.RunAsync(["triggers", "push", envelope, .. common]);
        Assert.True(push.Exit == 0, push.Error + push.Output);
        Assert.Equal(("accepted", 5, 5), Row(await StatusAsync(common)));

        var rollback = await Edgectl.RunAsync(["triggers", "rollback", "--device", "d1", .. common]);
        Assert.True(rollback.Exit == 0, rollback.Error);

        // The device publishes its new ack beside the command's reply: wait for it, bounded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var row = Row(await StatusAsync(common));
        while (row.Decision == "accepted" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken);
            row = Row(await StatusAsync(common));
        }

        Assert.Equal(("rejected", 5, 1), row);
        var table = await Edgectl.RunAsync(["triggers", "status", .. common]);
        Assert.Matches(@"d1\s+rejected\s+5\s+1\s+.*rolled back on this device", table.Output);
        Assert.Equal(1, active.Version);
    }

    private static async Task<JsonElement> StatusAsync(string[] common)
    {
        var status = await Edgectl.RunAsync(["triggers", "status", "--json", .. common]);
        Assert.True(status.Exit == 0, status.Error);
        using var acks = JsonDocument.Parse(status.Output);
        return Assert.Single(acks.RootElement.EnumerateArray()).Clone();
    }

    private static (string? Decision, int Version, int ActiveVersion) Row(JsonElement ack) =>
        (ack.GetProperty("decision").GetString(), ack.GetProperty("version").GetInt32(), ack.GetProperty("activeVersion").GetInt32());
}
