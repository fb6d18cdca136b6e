using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using static DataCentric.Edge.FleetService.Tests.WebConsole.Triggers.TriggerSamples;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.Triggers;

/// <summary>An approved proposal published through the operator link on a real mosquitto (TLS, the shipped ACL), read back as the device.</summary>
[Trait("Category", "Integration")]
public sealed class TriggerPushConsoleTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("dce-console-push");
    private SecureBroker? _broker;
    private LiteDbFleetCatalog? _catalog;
    private ApiUnderTest? _api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _broker = await SecureBroker.StartAsync(cancellationToken: Ct);
        _catalog = new LiteDbFleetCatalog(_dir.Combine("catalog.db"));
        var store = new DirectoryClipObjectStore(_dir.Combine("objects"), TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance);
        var op = _broker.OptionsFor("dce-operator");
        var settings = SecondOperator();
        settings["Operator:ClientId"] = $"dce-fleet-op-{Guid.NewGuid():N}";
        settings["Operator:CommandTimeout"] = "00:00:03";
        settings["Operator:Broker:Host"] = op.Host;
        settings["Operator:Broker:Port"] = op.Port.ToString(CultureInfo.InvariantCulture);
        settings["Operator:Broker:UseTls"] = "true";
        settings["Operator:Broker:CaCertificatePath"] = op.CaCertificatePath;
        settings["Operator:Broker:ClientCertificatePath"] = op.ClientCertificatePath;
        settings["Operator:Broker:ClientKeyPath"] = op.ClientKeyPath;
        _api = await ApiUnderTest.StartAsync(_catalog, store, _dir, settings: settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        _catalog?.Dispose();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Approve_PublishesTheEnvelopesExactBytesRetained_AndTheNextProposalIsDiffedAgainstIt()
    {
        using var olga = _api!.Client(ApiUnderTest.OperatorToken);
        using var oscar = _api.Client(SecondOperatorToken);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var envelope = Signed(key, Set(7), 7);
        using var uploaded = await olga.PostAsync("/api/console/triggers/proposals", Json(envelope), Ct);
        var id = (await ReadAsync(uploaded)).GetProperty("id").GetString()!;

        using var approved = await oscar.PostAsJsonAsync($"/api/console/triggers/proposals/{id}/approve", new { envelopeSha256 = Convert.ToHexStringLower(SHA256.HashData(envelope)) }, Ct);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var p = await ReadAsync(approved);
        Assert.Equal(("published", "oscar"), (p.GetProperty("state").GetString(), p.GetProperty("decidedBy").GetString()));
        Assert.Equal(envelope, await ReadRetainedAsync("dev-a", "dce/v1/fleet1/dev-a/config/triggers"));

        using var next = await olga.PostAsync("/api/console/triggers/proposals", Json(Signed(key, Set(8, maxPerHour: 5), 8)), Ct);
        var second = await ReadAsync(next);
        Assert.Equal((7, Set(7)), (second.GetProperty("previousVersion").GetInt32(), second.GetProperty("previousSource").GetString()));
    }

    [Fact]
    public async Task Rollback_OfADeviceThatIsOffline_Is409SayingSo()
    {
        using var olga = _api!.Client(ApiUnderTest.OperatorToken);

        using var response = await olga.PostAsJsonAsync("/api/console/devices/fleet1/dev-gone/triggers/rollback", new { }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("fleet1/dev-gone is offline (not listening for commands): nothing was rolled back", (await ReadAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    private async Task<byte[]> ReadRetainedAsync(string identity, string topic)
    {
        using var client = await _broker!.ConnectAsync(identity, identity, Ct);
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == topic && e.ApplicationMessage.Retain)
            {
                received.TrySetResult(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload));
            }

            return Task.CompletedTask;
        };
        await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce, Ct);
        var bytes = await received.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), Ct);
        return bytes;
    }
}
