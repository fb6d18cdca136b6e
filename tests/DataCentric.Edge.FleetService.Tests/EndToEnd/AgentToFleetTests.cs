using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.FleetService.Catalog.Postgres;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.Tests.ObjectStore;
using DataCentric.Edge.FleetService.Tests.Receiving;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.TestKit.Fleet;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.FleetService.Tests.EndToEnd;

/// <summary>
/// The whole path, every part real: the agent's own buffer and uploader publish an MCAP clip to
/// mosquitto with TLS and the shipped ACL; a dce-fleet process (the receiver's broker identity
/// <c>dce-receiver</c>) stores it in s3rver and PostgreSQL and acknowledges it; an engineer finds it
/// through the HTTP API and opens it by a signed URL, as Foxglove would.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AgentToFleetTests(PostgresServerFixture postgres, S3rverFixture s3rver)
    : IClassFixture<PostgresServerFixture>, IClassFixture<S3rverFixture>
{
    private const string KeyPrefix = "e2e/";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AClipUploadedByTheAgent_IsInTheBucket_InPostgres_AndOpensByUrl()
    {
        await using var broker = await SecureBroker.StartAsync(cancellationToken: Ct);
        await using var dataSource = await postgres.CreateMigratedDatabaseAsync();
        using var device = new TempDirectory("dce-e2e-device");
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(device.Combine("viewer.token"), token, Ct);
        var apiPort = FreePort();
        await using var fleet = await DceFleetProcess.StartAsync(FleetSettings(broker, dataSource.ConnectionString, device.Combine("viewer.token"), apiPort), Ct);

        // The agent's side: its clip store and outbox, its connection as device dev1, its uploader.
        using var catalog = new LiteDbClipCatalog(device.Combine("catalog.db"));
        var store = new ClipFileStore(device.Combine("clips"), new McapClipWriter(), catalog, TimeProvider.System);
        var topics = new FleetTopics("fleet1", "dev1");
        await using var uploader = new MqttClipUploader(new DeviceConnection(broker.OptionsFor("dev1"), broker.Endpoint, topics), catalog, store);
        var acknowledged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        uploader.Acknowledged += id => acknowledged.TrySetResult(id);
        var stored = store.Save(WithShadowBoxes(TestClips.Clip("e2e-1", frames: 40, frameBytes: 20_000)));
        Assert.True(await uploader.EnsureConnectedAsync(Ct));
        await uploader.UploadAsync(stored, Ct);

        Assert.Equal("e2e-1", await acknowledged.Task.WaitAsync(Deadline, Ct));
        Assert.Equal(UploadState.Acknowledged, catalog.FindClip("e2e-1")!.UploadState);
        var fileBytes = await File.ReadAllBytesAsync(store.PathOf(stored), Ct);

        // In PostgreSQL, with the object key in the bucket.
        var clip = await new PostgresFleetCatalog(dataSource).GetClipAsync("e2e-1", Ct);
        Assert.Equal(("fleet1", "dev1", stored.Sha256, fileBytes.LongLength), (clip?.Fleet, clip?.Device, clip?.Sha256, clip?.SizeBytes));
        Assert.StartsWith($"{KeyPrefix}fleet1/dev1/", clip!.ObjectKey, StringComparison.Ordinal);
        Assert.Equal(["class-2", "class-5"], clip.Labels);
        var inBucket = await s3rver.Client.GetObjectMetadataAsync(S3rverFixture.Bucket, clip.ObjectKey, Ct);
        Assert.Equal(fileBytes.LongLength, inBucket.ContentLength);

        // Through the API: found with the viewer's token, then opened by its signed link without one.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var found = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/clips?device=dev1", UriKind.Relative), Ct));
        Assert.Equal("e2e-1", found.RootElement.GetProperty("items")[0].GetProperty("clipId").GetString());
        using var byLabel = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/clips?device=dev1&label=class-5", UriKind.Relative), Ct));
        Assert.Equal(["class-2", "class-5"], byLabel.RootElement.GetProperty("items")[0].GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        using var link = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/clips/e2e-1/link", UriKind.Relative), Ct));
        var url = new Uri(link.RootElement.GetProperty("url").GetString()!);

        using var anonymous = new HttpClient();
        var opened = await anonymous.GetByteArrayAsync(url, Ct);
        Assert.Equal(fileBytes, opened);
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(0, 7);
        using var head = await anonymous.SendAsync(ranged, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, head.StatusCode);
        Assert.Equal(fileBytes[..8], await head.Content.ReadAsByteArrayAsync(Ct)); // the MCAP magic

        // The tracker saw the device's status under the same identity.
        await WaitForDeviceAsync(http);

        // And the instance's metrics say what it did.
        var metrics = await anonymous.GetStringAsync(new Uri($"http://127.0.0.1:{apiPort}/metrics"), Ct);
        Assert.Contains("\ndce_fleet_receiver_clips_completed_total 1\n", "\n" + metrics, StringComparison.Ordinal);
        Assert.Contains("\ndce_fleet_receiver_connected 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\ndce_fleet_staging_uploads 0\n", metrics, StringComparison.Ordinal);
        Assert.Matches(@"\ndce_fleet_tracker_stored_total [1-9]\d*\n", metrics);
    }

    /// <summary>The clip with the shadow model's boxes as the agent records them: classes 5 then 2.</summary>
    private static ClipContent WithShadowBoxes(ClipContent clip) => clip with
    {
        Signals =
        [
            .. clip.Signals,
            new SignalUpdate(new SignalId(1), "shadow.boxes", new SignalSample(SignalValue.FromDetections([new Detection(5, 0.8f, 0.1f, 0.1f, 0.2f, 0.2f)]), clip.Start)),
            new SignalUpdate(new SignalId(1), "shadow.boxes", new SignalSample(SignalValue.FromDetections([new Detection(2, 0.7f, 0.3f, 0.3f, 0.2f, 0.2f), new Detection(5, 0.6f, 0.5f, 0.5f, 0.1f, 0.1f)]), clip.End)),
        ],
    };

    private static async Task WaitForDeviceAsync(HttpClient http)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(Deadline);
        while (true)
        {
            using var devices = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/devices?fleet=fleet1", UriKind.Relative), deadline.Token));
            if (devices.RootElement.GetProperty("items").EnumerateArray().Any(d => d.GetProperty("device").GetString() == "dev1"))
            {
                return;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    private string[] FleetSettings(SecureBroker broker, string connectionString, string tokenFile, int apiPort)
    {
        var s3 = s3rver.Options(5 * 1024 * 1024);
        var receiver = broker.OptionsFor("dce-receiver");
        var settings = new List<string>
        {
            $"--urls=http://127.0.0.1:{apiPort.ToString(CultureInfo.InvariantCulture)}",
            "--Catalog:Provider=Postgres",
            $"--Catalog:ConnectionString={connectionString}",
            "--ObjectStore:Kind=S3",
            $"--ObjectStore:KeyPrefix={KeyPrefix}",
            $"--ObjectStore:S3:ServiceUrl={s3.ServiceUrl}",
            $"--ObjectStore:S3:Region={S3rverServer.Region}",
            $"--ObjectStore:S3:Bucket={s3.Bucket}",
            "--ObjectStore:S3:ForcePathStyle=true",
            $"--ObjectStore:S3:AccessKeyId={S3rverServer.AccessKeyId}",
            $"--ObjectStore:S3:SecretAccessKey={S3rverServer.SecretAccessKey}",
            "--ObjectStore:S3:RequestChecksumCalculation=WHEN_REQUIRED",
            "--ObjectStore:S3:UseChunkEncoding=false",
            "--Api:Tokens:0:Name=engineer",
            "--Api:Tokens:0:Role=Viewer",
            $"--Api:Tokens:0:TokenFile={tokenFile}",
        };
        foreach (var section in new[] { "Receiver", "Tracker" })
        {
            settings.Add($"--{section}:ClientId=e2e-{section.ToLowerInvariant()}");
            settings.Add($"--{section}:Broker:Host=127.0.0.1");
            settings.Add($"--{section}:Broker:Port={receiver.Port.ToString(CultureInfo.InvariantCulture)}");
            settings.Add($"--{section}:Broker:UseTls=true");
            settings.Add($"--{section}:Broker:CaCertificatePath={receiver.CaCertificatePath}");
            settings.Add($"--{section}:Broker:ClientCertificatePath={receiver.ClientCertificatePath}");
            settings.Add($"--{section}:Broker:ClientKeyPath={receiver.ClientKeyPath}");
        }

        return [.. settings];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
