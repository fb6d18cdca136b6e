using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.LiteDb;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.FleetService.Tests.Api;

/// <summary>
/// The operator link on a real mosquitto with TLS and the shipped ACL: dce-fleet connects as
/// dce-operator to the tools listener, a device answers commands as itself on the device listener,
/// and the catalog is a real LiteDB file.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OperatorLinkTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new("dce-fleet-operator");
    private SecureBroker? _broker;
    private LiteDbFleetCatalog? _catalog;
    private DirectoryClipObjectStore? _store;
    private ApiUnderTest? _api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SecureBroker Broker => _broker!;

    private LiteDbFleetCatalog Catalog => _catalog!;

    public async ValueTask InitializeAsync()
    {
        _broker = await SecureBroker.StartAsync(cancellationToken: Ct);
        _catalog = new LiteDbFleetCatalog(_dir.Combine("catalog.db"));
        _store = new DirectoryClipObjectStore(_dir.Combine("objects"), TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance);
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
    public async Task Pull_IsSentToTheDevice_ListClipsOverItsWindow_ThenPullClipForEachClipNotAcknowledged_AndEndsSent()
    {
        await using var device = await CommandResponder.StartAsync(Broker, "acme", "cam-1",
        [
            CommandResponder.Clip("c-old", T0, UploadState.Acknowledged),
            CommandResponder.Clip("c-1", T0.AddSeconds(30), UploadState.Pending),
            CommandResponder.Clip("c-2", T0.AddSeconds(60), UploadState.Sent),
        ], Ct);
        using var client = (await StartApiAsync(maxAttempts: 1)).Client(ApiUnderTest.OperatorToken);

        using var posted = await client.PostAsJsonAsync("/api/pulls", new { fleet = "acme", device = "cam-1", windowFrom = T0, windowTo = T0.AddMinutes(2), pullId = "p-1" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var pull = await WaitForPullAsync("p-1", p => p.State != PullState.Requested);
        Assert.Equal((PullState.Sent, "2 clips queued, 1 already acknowledged"), (pull.State, pull.Detail));
        var requests = device.Requests.ToArray();
        var list = Assert.Single(requests, r => r.Command == CommandNames.ListClips);
        Assert.Equal((T0, T0.AddMinutes(2)), (list.From, list.To));
        Assert.Equal(["c-1", "c-2"], requests.Where(r => r.Command == CommandNames.PullClip).Select(r => r.ClipId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Pull_ToADeviceNotListening_FailsWithTheReason_WhenItsTriesRunOut()
    {
        using var client = (await StartApiAsync(maxAttempts: 1)).Client(ApiUnderTest.OperatorToken);

        using var posted = await client.PostAsJsonAsync("/api/pulls", new { fleet = "acme", device = "cam-9", windowFrom = T0, windowTo = T0.AddMinutes(1), pullId = "p-9" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var pull = await WaitForPullAsync("p-9", p => p.State != PullState.Requested);
        Assert.Equal(PullState.Failed, pull.State);
        Assert.StartsWith("gave up after 1 tries: device not listening: acme/cam-9 is not listening", pull.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_ToADeviceNotListening_StaysRequested_AndIsSentWhenTheDeviceComesOnline()
    {
        using var client = (await StartApiAsync(maxAttempts: 100)).Client(ApiUnderTest.OperatorToken);

        using var posted = await client.PostAsJsonAsync("/api/pulls", new { fleet = "acme", device = "cam-2", windowFrom = T0, windowTo = T0.AddMinutes(1), pullId = "p-2" }, Ct);
        var waiting = await WaitForPullAsync("p-2", p => p.Detail?.Contains("device not listening", StringComparison.Ordinal) == true);
        await using var device = await CommandResponder.StartAsync(Broker, "acme", "cam-2", [CommandResponder.Clip("c-9", T0, UploadState.Pending)], Ct);
        var sent = await WaitForPullAsync("p-2", p => p.State != PullState.Requested);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(PullState.Requested, waiting.State);
        Assert.StartsWith("try 1 of 100: device not listening", waiting.Detail, StringComparison.Ordinal);
        Assert.Equal((PullState.Sent, "1 clip queued"), (sent.State, sent.Detail));
        Assert.Equal(["c-9"], device.Requests.Where(r => r.Command == CommandNames.PullClip).Select(r => r.ClipId));
    }

    [Theory]
    [InlineData(TargetScope.Device, "cam-1", "dce/v1/acme/cam-1/config/triggers")]
    [InlineData(TargetScope.Group, "night-shift", "dce/v1/acme/_groups/night-shift/config/triggers")]
    [InlineData(TargetScope.Fleet, null, "dce/v1/acme/_fleet/config/triggers")]
    public async Task Push_PublishesTheEnvelopeRetainedOnItsTargetsTopic(TargetScope scope, string? name, string topic)
    {
        using var client = (await StartApiAsync(maxAttempts: 1)).Client(ApiUnderTest.OperatorToken);
        var envelope = Signed(new TriggerSetPayload(FleetTopics.Root, "acme", new TriggerSetTarget(scope, name), 7, TriggerSetFormat.Yaml, "version: 7\ntriggers: []\n", T0));

        using var pushed = await client.PostAsync("/api/triggers/push", Json(envelope), Ct);

        Assert.Equal(HttpStatusCode.Accepted, pushed.StatusCode);
        using var answer = JsonDocument.Parse(await pushed.Content.ReadAsStringAsync(Ct));
        Assert.Equal((topic, 7), (answer.RootElement.GetProperty("topic").GetString(), answer.RootElement.GetProperty("version").GetInt32()));
        // The device reads it back as itself: retained, the exact bytes pushed.
        Assert.Equal(envelope, await ReadRetainedAsync("cam-1", topic));
    }

    [Theory]
    [InlineData("{\"keyId\":\"k1\",\"payload\":\"%%%\",\"signature\":\"AAAA\"}", "envelope field 'payload': not base64")]
    [InlineData("{\"keyId\":\"k1\",\"signature\":\"AAAA\"}", "'payload'")]
    [InlineData("{\"keyId\":\"\",\"payload\":\"e30=\",\"signature\":\"AAAA\"}", "envelope field 'keyId': required")]
    [InlineData("[1,2]", "the body is not a signed trigger set envelope")]
    public async Task Push_OfAMalformedEnvelope_Is400NamingTheField(string body, string expected)
    {
        using var client = (await StartApiAsync(maxAttempts: 1)).Client(ApiUnderTest.OperatorToken);

        using var pushed = await client.PostAsync("/api/triggers/push", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Contains(expected, await ProblemAsync(pushed, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dce/v0", TargetScope.Device, "cam-1", "payload field 'contract': 'dce/v0' is not dce/v1")]
    [InlineData("dce/v1", TargetScope.Group, null, "payload field 'target.name': required for a group target")]
    [InlineData("dce/v1", TargetScope.Device, "cam/1", "payload field 'target.name': 'cam/1' is not a valid topic segment")]
    public async Task Push_OfAPayloadWithABadContractOrTarget_Is400NamingTheField(string contract, TargetScope scope, string? name, string expected)
    {
        using var client = (await StartApiAsync(maxAttempts: 1)).Client(ApiUnderTest.OperatorToken);
        var envelope = Signed(new TriggerSetPayload(contract, "acme", new TriggerSetTarget(scope, name), 3, TriggerSetFormat.Yaml, "version: 3\n", T0));

        using var pushed = await client.PostAsync("/api/triggers/push", Json(envelope), Ct);

        Assert.Contains(expected, await ProblemAsync(pushed, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_ByAViewer_Is403_AndNothingIsPublished()
    {
        using var client = (await StartApiAsync(maxAttempts: 1)).Client(ApiUnderTest.ViewerToken);
        var envelope = Signed(new TriggerSetPayload(FleetTopics.Root, "acme", new TriggerSetTarget(TargetScope.Device, "cam-1"), 1, TriggerSetFormat.Yaml, "version: 1\n", T0));

        using var pushed = await client.PostAsync("/api/triggers/push", Json(envelope), Ct);

        Assert.Equal("token 'alice' has role viewer; POST /api/triggers/push needs operator", await ProblemAsync(pushed, HttpStatusCode.Forbidden));
    }

    private async Task<ApiUnderTest> StartApiAsync(int maxAttempts)
    {
        var broker = Broker.OptionsFor("dce-operator");
        _api = await ApiUnderTest.StartAsync(Catalog, _store!, _dir, settings: new Dictionary<string, string?>
        {
            ["Operator:ClientId"] = $"dce-fleet-op-{Guid.NewGuid():N}",
            ["Operator:CommandTimeout"] = "00:00:05",
            ["Operator:RetryDelay"] = "00:00:00.100",
            ["Operator:MaxRetryDelay"] = "00:00:00.500",
            ["Operator:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Operator:Broker:Host"] = broker.Host,
            ["Operator:Broker:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Operator:Broker:UseTls"] = "true",
            ["Operator:Broker:CaCertificatePath"] = broker.CaCertificatePath,
            ["Operator:Broker:ClientCertificatePath"] = broker.ClientCertificatePath,
            ["Operator:Broker:ClientKeyPath"] = broker.ClientKeyPath,
        });
        return _api;
    }

    /// <summary>The pull once <paramref name="done"/> holds, read from the catalog as the dispatcher writes it; fails past the deadline.</summary>
    private async Task<PullRequest> WaitForPullAsync(string pullId, Func<PullRequest, bool> done)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Deadline);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        PullRequest? last = null;
        try
        {
            do
            {
                last = await Catalog.GetPullAsync(pullId, deadline.Token);
                if (last is not null && done(last))
                {
                    return last;
                }
            }
            while (await tick.WaitForNextTickAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
        }

        Assert.Fail($"pull {pullId} did not get there within {Deadline}: last {last?.State} '{last?.Detail}'");
        return null!;
    }

    private async Task<byte[]> ReadRetainedAsync(string identity, string topic)
    {
        using var client = await Broker.ConnectAsync(identity, identity, Ct);
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
        var bytes = await received.Task.WaitAsync(Deadline, Ct);
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), Ct);
        return bytes;
    }

    private static byte[] Signed(TriggerSetPayload payload)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return TriggerSetSigner.Serialize(TriggerSetSigner.Sign(payload, key));
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return problem.RootElement.GetProperty("detail").GetString()!;
    }
}
