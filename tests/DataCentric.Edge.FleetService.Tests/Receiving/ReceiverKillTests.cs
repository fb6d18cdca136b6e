using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Staging;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.Tests.ObjectStore;
using DataCentric.Edge.TestKit.Fleet;

namespace DataCentric.Edge.FleetService.Tests.Receiving;

/// <summary>Two real dce-fleet processes on one shared group; one is SIGKILLed mid-upload and restarted, as systemd would.</summary>
[Trait("Category", "Integration")]
public sealed class ReceiverKillTests(PostgresServerFixture postgres, S3rverFixture s3rver)
    : IClassFixture<PostgresServerFixture>, IClassFixture<S3rverFixture>, IAsyncLifetime
{
    // One deadline for every wait of the test (it takes seconds): one that never ends fails it, naming where.
    private readonly CancellationTokenSource _deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private ReceiverRig? _rig;

    private CancellationToken Ct => _deadline.Token;

    private ReceiverRig Rig => _rig!;

    public async ValueTask InitializeAsync()
    {
        _deadline.CancelAfter(TimeSpan.FromMinutes(4));
        _rig = await ReceiverRig.StartAsync(postgres, s3rver);
    }

    public async ValueTask DisposeAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }

        _deadline.Dispose();
    }

    [Fact]
    public async Task AReceiverKilledMidUpload_WhileAnotherRuns_EveryClipCompletesExactlyOnce_WithItsHash()
    {
        await using var first = await StartDceFleetAsync("1");
        await using var second = await StartDceFleetAsync("2");
        var device = await Rig.DeviceAsync(cancellationToken: Ct);
        var uploads = Enumerable.Range(0, 10).Select(i => StagedUploads.Random($"k{i}", 700_000 + (i * 1000), 64 * 1024, seed: i)).ToList();

        foreach (var upload in uploads.Take(5))
        {
            await device.UploadAsync(upload, Ct);
        }

        await device.PublishManifestAsync(uploads[5].Manifest, Ct);
        for (var i = 0; i < uploads[5].Count / 2; i++)
        {
            await device.PublishChunkAsync(uploads[5], i, Ct);
        }

        await first.KillAsync();
        for (var i = uploads[5].Count / 2; i < uploads[5].Count; i++)
        {
            await device.PublishChunkAsync(uploads[5], i, Ct);
        }

        foreach (var upload in uploads.Skip(6))
        {
            await device.UploadAsync(upload, Ct);
        }

        // systemd restarts it with its identity: its persistent session gives back what it had not acknowledged.
        await using var restarted = await StartDceFleetAsync("1");
        var acked = new HashSet<string>(StringComparer.Ordinal);
        while (acked.Count < uploads.Count)
        {
            var ack = await device.NextAckAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.Equal(ClipAckStatus.Complete, ack.Status);
            acked.Add(ack.ClipId);
        }

        var catalogued = (await Rig.Catalog.ListClipsAsync(new ClipQuery { Limit = 100 }, Ct)).Items;
        Assert.Equal(uploads.Select(u => u.Manifest.ClipId).Order(), catalogued.Select(c => c.ClipId).Order());
        foreach (var upload in uploads)
        {
            Assert.Equal(upload.Manifest.Sha256, catalogued.Single(c => c.ClipId == upload.Manifest.ClipId).Sha256);
            Assert.Equal(upload.Manifest.Sha256, await Rig.StoredSha256Async(upload, Ct));
        }

        Assert.Equal(0, (await Rig.Catalog.GetUsageAsync(Ct)).Uploads);
    }

    private Task<DceFleetProcess> StartDceFleetAsync(string instance)
    {
        var s3 = Rig.S3.Options(5 * 1024 * 1024);
        var port = Rig.Broker.Port.ToString(CultureInfo.InvariantCulture);
        return DceFleetProcess.StartAsync(
        [
            "--Catalog:Provider=Postgres",
            $"--Catalog:ConnectionString={Rig.DataSource.ConnectionString}",
            "--ObjectStore:Kind=S3",
            $"--ObjectStore:KeyPrefix={Rig.KeyPrefix}",
            $"--ObjectStore:S3:ServiceUrl={s3.ServiceUrl}",
            $"--ObjectStore:S3:Region={S3rverServer.Region}",
            $"--ObjectStore:S3:Bucket={s3.Bucket}",
            "--ObjectStore:S3:ForcePathStyle=true",
            $"--ObjectStore:S3:AccessKeyId={S3rverServer.AccessKeyId}",
            $"--ObjectStore:S3:SecretAccessKey={S3rverServer.SecretAccessKey}",
            "--ObjectStore:S3:RequestChecksumCalculation=WHEN_REQUIRED",
            "--ObjectStore:S3:UseChunkEncoding=false",
            $"--Tracker:ClientId=kill-tracker-{instance}",
            $"--Tracker:Broker:Port={port}",
            $"--Receiver:ClientId=kill-receiver-{instance}",
            "--Receiver:SharedGroup=kill",
            "--Receiver:SweepInterval=00:00:00.500",
            "--Receiver:LeaseDuration=00:00:10",
            $"--Receiver:Broker:Port={port}",
        ],
        Ct);
    }
}
