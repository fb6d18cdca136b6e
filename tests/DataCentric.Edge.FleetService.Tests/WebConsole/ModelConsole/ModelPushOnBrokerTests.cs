using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.FleetService.Tests.Api;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;
using static DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole.ModelUploads;

namespace DataCentric.Edge.FleetService.Tests.WebConsole.ModelConsole;

/// <summary>
/// A release pushed from the console end to end on a real mosquitto (TLS, the shipped ACL): one operator uploads
/// the signed envelope and the real ONNX file, a second approves, the service publishes chunks and release through
/// its operator link, and a device's own <see cref="ModelReleaseReceiver"/> verifies, downloads and acks it active.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelPushOnBrokerTests : IAsyncLifetime
{
    private const string SecondOperatorToken = "second-operator-token-0123456789";
    private readonly TempDirectory _dir = new("dce-console-model-push");
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
        var settings = new Dictionary<string, string?>
        {
            ["Api:Tokens:2:Name"] = "piet",
            ["Api:Tokens:2:Role"] = "operator",
            ["Api:Tokens:2:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SecondOperatorToken))),
            ["ConsoleModels:UploadDirectory"] = _dir.Combine("uploads"),
            ["Operator:ClientId"] = $"dce-fleet-op-{Guid.NewGuid():N}",
            ["Operator:CommandTimeout"] = "00:00:10",
            ["Operator:Broker:Host"] = op.Host,
            ["Operator:Broker:Port"] = op.Port.ToString(CultureInfo.InvariantCulture),
            ["Operator:Broker:UseTls"] = "true",
            ["Operator:Broker:CaCertificatePath"] = op.CaCertificatePath,
            ["Operator:Broker:ClientCertificatePath"] = op.ClientCertificatePath,
            ["Operator:Broker:ClientKeyPath"] = op.ClientKeyPath,
        };
        _api = await ApiUnderTest.StartAsync(_catalog, store, _dir, settings: settings);
        await _catalog.RecordStatusAsync(Status("cam-1", "online"), DateTimeOffset.UtcNow, Ct);
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
    public async Task AnApprovedUpload_IsPublished_AndTheDeviceDownloadsItAndAcksActive()
    {
        using var key = FleetKeys.New();
        var model = await File.ReadAllBytesAsync(ModelFile, Ct);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(model));
        var acks = new List<ModelReleaseAck>();
        using var watcher = await _broker!.ConnectAsync("dce-receiver", $"ack-watch-{Guid.NewGuid():N}", Ct);
        watcher.ApplicationMessageReceivedAsync += e =>
        {
            if (System.Text.Json.JsonSerializer.Deserialize(e.ApplicationMessage.Payload.ToArray(), UplinkJson.TypeInfo<ModelReleaseAck>()) is { } ack)
            {
                lock (acks)
                {
                    acks.Add(ack);
                }
            }

            return Task.CompletedTask;
        };
        await watcher.SubscribeAsync(ModelTopics.Acks("acme"), cancellationToken: Ct);
        var activator = ScriptedActivator.Passing();
        await using var device = await ModelConsoleDevice.StartAsync(_broker, _dir, "acme", "cam-1", [], key, Io, activator, Ct);
        using var olga = _api!.Client(ApiUnderTest.OperatorToken);
        using var piet = _api.Client(SecondOperatorToken);

        using var upload = Signed(key, model);
        using var created = await olga.SendAsync(upload, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        using var proposal = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
        var id = proposal.RootElement.GetProperty("id").GetString();
        using var approved = await piet.PostAsync($"{ProposalsPath}/{id}/approve", new StringContent($$"""{"name":"det","version":1,"sha256":"{{sha256}}"}""", Encoding.UTF8, "application/json"), Ct);
        var answer = await approved.Content.ReadAsStringAsync(Ct);

        Assert.True(approved.StatusCode == HttpStatusCode.OK, answer);
        Assert.Contains("\"state\":\"published\"", answer, StringComparison.Ordinal);
        Assert.Contains("\"chunks\":1", answer, StringComparison.Ordinal);
        Assert.Empty(UploadedFiles(_dir.Combine("uploads")));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!HasActive() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(HasActive(), $"no active ack; acks seen: {string.Join(", ", Snapshot().Select(a => $"{a.Stage} v{a.Version}"))}");
        Assert.Equal(new RunningRelease(1, sha256), activator.RunningOf("det"));
        await watcher.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), Ct);

        bool HasActive() => Snapshot().Any(a => a is { Device: "cam-1", Name: "det", Version: 1, Stage: ModelReleaseStage.Active } && a.Sha256 == sha256);

        ModelReleaseAck[] Snapshot()
        {
            lock (acks)
            {
                return [.. acks];
            }
        }
    }

    [Fact]
    public async Task AnotherServiceStartingOnTheSameUploadFolder_LeavesThePendingUploadAlone_AndItsApprovalPublishes()
    {
        // Two dce-fleet processes on one host share the default upload folder. The second one's start used to clear
        // the folder's uploads, the first one's pending file with them, and the approval then answered 500.
        using var key = FleetKeys.New();
        var model = await File.ReadAllBytesAsync(ModelFile, Ct);
        var id = await UploadAsync(key, model);
        using var otherDir = new TempDirectory("dce-console-model-push-other");
        await using (var other = await ApiUnderTest.StartAsync(_catalog!, new DirectoryClipObjectStore(otherDir.Combine("objects"), TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance), otherDir,
            settings: new Dictionary<string, string?> { ["ConsoleModels:UploadDirectory"] = _dir.Combine("uploads") }))
        {
            // Its Models page lists its own proposals: that creates its upload store, as in the browser.
            using var viewer = other.Client(ApiUnderTest.ViewerToken);
            using var list = await viewer.GetAsync(ProposalsPath, Ct);
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Equal(model, await File.ReadAllBytesAsync(Assert.Single(UploadedFiles(_dir.Combine("uploads"))), Ct));
        }

        var (status, answer) = await ApproveAsync(id, model);

        Assert.True(status == HttpStatusCode.OK, answer);
        Assert.Contains("\"state\":\"published\"", answer, StringComparison.Ordinal);
        Assert.Empty(UploadedFiles(_dir.Combine("uploads")));
    }

    [Fact]
    public async Task AnUploadWhoseFileIsGoneFromDisk_Is503SayingSo_AndTheProposalFailed()
    {
        using var key = FleetKeys.New();
        var model = await File.ReadAllBytesAsync(ModelFile, Ct);
        var id = await UploadAsync(key, model);
        var file = Assert.Single(UploadedFiles(_dir.Combine("uploads")));
        File.Delete(file);

        var (status, answer) = await ApproveAsync(id, model);

        Assert.True(status == HttpStatusCode.ServiceUnavailable, answer);
        using var problem = System.Text.Json.JsonDocument.Parse(answer);
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.StartsWith($"det v1 not published on {ModelTopics.FleetRelease("acme", "det")}: Could not find file '{file}'", detail, StringComparison.Ordinal);
        Assert.EndsWith("upload it again", detail, StringComparison.Ordinal);
        using var piet = _api!.Client(SecondOperatorToken);
        using var list = System.Text.Json.JsonDocument.Parse(await piet.GetStringAsync(ProposalsPath, Ct));
        Assert.Equal("failed", list.RootElement.GetProperty("items")[0].GetProperty("state").GetString());
    }

    private async Task<string> UploadAsync(ECDsa key, byte[] model)
    {
        using var olga = _api!.Client(ApiUnderTest.OperatorToken);
        using var upload = Signed(key, model);
        using var created = await olga.SendAsync(upload, Ct);
        var answer = await created.Content.ReadAsStringAsync(Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, answer);
        using var proposal = System.Text.Json.JsonDocument.Parse(answer);
        return proposal.RootElement.GetProperty("id").GetString()!;
    }

    private async Task<(HttpStatusCode Status, string Answer)> ApproveAsync(string id, byte[] model)
    {
        using var piet = _api!.Client(SecondOperatorToken);
        var confirm = $$"""{"name":"det","version":1,"sha256":"{{Convert.ToHexStringLower(SHA256.HashData(model))}}"}""";
        using var approved = await piet.PostAsync($"{ProposalsPath}/{id}/approve", new StringContent(confirm, Encoding.UTF8, "application/json"), Ct);
        return (approved.StatusCode, await approved.Content.ReadAsStringAsync(Ct));
    }
}
