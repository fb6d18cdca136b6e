using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Staging;
using DataCentric.Edge.FleetService.Receiving;
using DataCentric.Edge.FleetService.Tests.Catalog;
using DataCentric.Edge.FleetService.Tests.ObjectStore;
using DataCentric.Edge.FleetService.Tests.WebConsole;

namespace DataCentric.Edge.FleetService.Tests.Receiving;

/// <summary>
/// Receivers between a real mosquitto, a real PostgreSQL and a real s3rver, with a device written
/// from CONTRACT.md publishing. Waits are on acks and counters with deadlines, never sleeps.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClipReceiverServiceTests(PostgresServerFixture postgres, S3rverFixture s3rver)
    : IClassFixture<PostgresServerFixture>, IClassFixture<S3rverFixture>, IAsyncLifetime
{
    private const int ChunkBytes = 128 * 1024;
    private static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(30);
    private ReceiverRig? _rig;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ReceiverRig Rig => _rig!;

    public async ValueTask InitializeAsync() => _rig = await ReceiverRig.StartAsync(postgres, s3rver);

    public async ValueTask DisposeAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    [Fact]
    public async Task AClipOfSeveralParts_IsInTheBucket_CataloguedInPostgres_ThenAcknowledged()
    {
        var receiver = await Rig.StartReceiverAsync("r1");
        var device = await Rig.DeviceAsync();
        var upload = StagedUploads.Random("c1", (6 * 1024 * 1024) + 12345, ChunkBytes);

        await device.UploadAsync(upload, Ct);

        var ack = await device.NextAckAsync(AckDeadline, Ct);
        Assert.Equal(new ClipAck("c1", ClipAckStatus.Complete, upload.Manifest.Sha256, null), ack);
        var clip = await Rig.Catalog.GetClipAsync("c1", Ct);
        Assert.Equal((Rig.KeyOf(upload), upload.Manifest.SizeBytes, upload.Manifest.Sha256), (clip?.ObjectKey, clip?.SizeBytes, clip?.Sha256));
        Assert.Empty(clip!.Labels); // random bytes are no MCAP: stored all the same, without labels
        Assert.Equal(upload.Manifest.Sha256, await Rig.StoredSha256Async(upload));
        var info = await Rig.Store.HeadAsync(Rig.KeyOf(upload), Ct);
        Assert.Equal(("c1", upload.Manifest.ModelSha256), (info?.Metadata.ClipId, info?.Metadata.ModelSha256));
        Assert.Equal(new StagingUsage(0, 0, 0), await Rig.Catalog.GetUsageAsync(Ct));
        Assert.Equal((1, upload.Count, 1), (receiver.Counters.Manifests, receiver.Counters.Chunks, receiver.Counters.Completed));
    }

    [Fact]
    public async Task AnMcapClipWithShadowBoxes_IsCataloguedWithTheClassesOfItsShadowDetectionsOnly()
    {
        await Rig.StartReceiverAsync("r1");
        var device = await Rig.DeviceAsync();

        // Frame i has i % 3 shadow boxes of classes 0..(i % 3 - 1); the primary model's class 7 is no label.
        var content = ConsoleSamples.Clip("c1", frames: 6, jpeg: i => [0xFF, 0xD8, (byte)i, 0xFF, 0xD9]);
        var primary = new SignalUpdate(
            new SignalId(9), "primary.boxes", new SignalSample(SignalValue.FromDetections([new Detection(7, 0.9f, 0.1f, 0.1f, 0.2f, 0.2f)]), content.Start));
        var upload = StagedUploads.For("c1", ConsoleSamples.Mcap(content with { Signals = [.. content.Signals, primary] }), 1024);

        await device.UploadAsync(upload, Ct);

        Assert.Equal(ClipAckStatus.Complete, (await device.NextAckAsync(AckDeadline, Ct)).Status);
        Assert.Equal(["class-0", "class-1"], (await Rig.Catalog.GetClipAsync("c1", Ct))!.Labels);
        Assert.Equal(["c1"], (await Rig.Catalog.ListClipsAsync(new ClipQuery { Label = "class-1" }, Ct)).Items.Select(c => c.ClipId));
        Assert.Empty((await Rig.Catalog.ListClipsAsync(new ClipQuery { Label = "class-7" }, Ct)).Items);
    }

    [Fact]
    public async Task ChunksBeforeTheManifest_AndResentChunks_StillMakeOneClip()
    {
        var receiver = await Rig.StartReceiverAsync("r1");
        var device = await Rig.DeviceAsync();
        var upload = StagedUploads.Random("c1", 300_000, ChunkBytes);

        for (var i = upload.Count - 1; i >= 0; i--)
        {
            await device.PublishChunkAsync(upload, i, Ct);
        }

        await device.PublishChunkAsync(upload, 1, Ct);
        await device.PublishManifestAsync(upload.Manifest, Ct);

        Assert.Equal(ClipAckStatus.Complete, (await device.NextAckAsync(AckDeadline, Ct)).Status);
        Assert.Equal(upload.Manifest.Sha256, await Rig.StoredSha256Async(upload));
        Assert.Equal(1, receiver.Counters.Duplicates);

        // The device missed the ack and sends the manifest again: it is answered from the catalog.
        await device.PublishManifestAsync(upload.Manifest, Ct);
        Assert.Equal(new ClipAck("c1", ClipAckStatus.Complete, upload.Manifest.Sha256, "already held"), await device.NextAckAsync(AckDeadline, Ct));
        Assert.Single((await Rig.Catalog.ListClipsAsync(new ClipQuery(), Ct)).Items);
    }

    [Fact]
    public async Task BytesThatDoNotMatchTheManifest_AreAnsweredHashMismatch_NothingIsStored_AndTheResendCompletes()
    {
        var receiver = await Rig.StartReceiverAsync("r1");
        var device = await Rig.DeviceAsync();
        var upload = StagedUploads.Random("c1", 300_000, ChunkBytes);
        var wrongSha = upload.Manifest with { Sha256 = CatalogSamples.Sha("other bytes") };

        await device.PublishManifestAsync(wrongSha, Ct);
        for (var i = 0; i < upload.Count; i++)
        {
            await device.PublishChunkAsync(upload, i, Ct);
        }

        var refused = await device.NextAckAsync(AckDeadline, Ct);
        Assert.Equal((ClipAckStatus.HashMismatch, wrongSha.Sha256), (refused.Status, refused.Sha256));
        Assert.Contains($"sha256 {upload.Manifest.Sha256}", refused.Detail, StringComparison.Ordinal);
        Assert.Null(await Rig.Catalog.GetClipAsync("c1", Ct));
        Assert.Null(await Rig.Store.HeadAsync(Rig.KeyOf(upload), Ct));
        Assert.Equal(new StagingUsage(0, 0, 0), await Rig.Catalog.GetUsageAsync(Ct));
        Assert.Equal(1, receiver.Counters.HashMismatches);

        await device.UploadAsync(upload, Ct);

        Assert.Equal(ClipAckStatus.Complete, (await device.NextAckAsync(AckDeadline, Ct)).Status);
        Assert.Equal(upload.Manifest.Sha256, await Rig.StoredSha256Async(upload));
    }

    [Fact]
    public async Task AManifestWhoseSizeDisagreesWithItsChunks_IsAnsweredHashMismatch()
    {
        await Rig.StartReceiverAsync("r1");
        var device = await Rig.DeviceAsync();
        var upload = StagedUploads.Random("c1", 300_000, ChunkBytes);

        // Same chunk count, 1000 bytes fewer than the chunks carry.
        await device.PublishManifestAsync(upload.Manifest with { SizeBytes = 299_000 }, Ct);
        for (var i = 0; i < upload.Count; i++)
        {
            await device.PublishChunkAsync(upload, i, Ct);
        }

        var ack = await device.NextAckAsync(AckDeadline, Ct);
        Assert.Equal(ClipAckStatus.HashMismatch, ack.Status);
        Assert.Contains("received 300000 bytes", ack.Detail, StringComparison.Ordinal);
        Assert.Null(await Rig.Catalog.GetClipAsync("c1", Ct));
    }

    [Fact]
    public async Task AManifestNamingAnotherDevice_AndBadChunks_AreRefusedAndCounted_NothingIsStaged()
    {
        var receiver = await Rig.StartReceiverAsync("r1");
        var device = await Rig.DeviceAsync("cam-2");
        var victims = StagedUploads.Random("c1", 300_000, ChunkBytes, device: "cam-1");

        await device.PublishManifestAsync(victims.Manifest, Ct);                                           // another device's id in the manifest
        await device.PublishChunkAsync("c2", new byte[300 * 1024], 0, 1, 300 * 1024, Ct);                // over Receiver:MaxChunkBytes
        await device.PublishChunkAsync("c3", new byte[2000], 0, 1, 1000, Ct);                            // larger than its own chunk size
        await device.PublishChunkAsync("c4", new byte[1000], 3, 2, 1000, Ct);                            // index past its count
        await device.PublishAsync(device.Topics.ClipChunk("c5"), new byte[10], [("chunk-index", "x")], Ct); // unreadable properties
        await device.PublishAsync(device.Topics.ClipManifest("c6"), "{not json"u8.ToArray(), [], Ct);

        await WaitForAsync(() => receiver.Counters.Refused == 6, () => $"refused {receiver.Counters.Refused} of 6");
        Assert.Equal(new StagingUsage(0, 0, 0), await Rig.Catalog.GetUsageAsync(Ct));
        Assert.False(device.TryTakeAck(out _));
    }

    [Fact]
    public async Task PostgresDownMidClip_NothingIsAcknowledged_AndTheClipCompletesWhenItIsBack()
    {
        var receiver = await Rig.StartReceiverAsync("r1");
        var device = await Rig.DeviceAsync();
        var upload = StagedUploads.Random("c1", 1_000_000, ChunkBytes);
        await device.PublishManifestAsync(upload.Manifest, Ct);
        await device.PublishChunkAsync(upload, 0, Ct);
        await WaitForAsync(() => receiver.Counters.Chunks == 1, () => "the first chunk was not staged");

        await postgres.Server.StopAsync();
        try
        {
            for (var i = 1; i < upload.Count; i++)
            {
                await device.PublishChunkAsync(upload, i, Ct);
            }

            await WaitForAsync(() => receiver.Counters.Chunks == 1 && !receiver.IsConnected, () => "the receiver kept its session with the catalog down");
            Assert.False(device.TryTakeAck(out _));
        }
        finally
        {
            await postgres.Server.RestartAsync(Ct);
        }

        // The broker redelivers what was not acknowledged when the session resumes.
        Assert.Equal(ClipAckStatus.Complete, (await device.NextAckAsync(AckDeadline, Ct)).Status);
        Assert.Equal(upload.Manifest.Sha256, await Rig.StoredSha256Async(upload));
        Assert.Equal(upload.Count, receiver.Counters.Chunks);
    }

    [Fact]
    public async Task ObjectStoreDownAtAssembly_NothingIsAcknowledged_AndTheSweepCompletesTheClipWhenItIsBack()
    {
        var receiver = await Rig.StartReceiverAsync("r1");
        var device = await Rig.DeviceAsync();
        var upload = StagedUploads.Random("c1", 1_000_000, ChunkBytes);

        await Rig.S3.Server.StopAsync();
        try
        {
            await device.UploadAsync(upload, Ct);
            await WaitForAsync(() => receiver.Counters.StoreFailures >= 1, () => "no assembly was tried");
            Assert.False(device.TryTakeAck(out _));
            Assert.Equal(upload.Count, (await Rig.Catalog.GetUsageAsync(Ct)).Chunks);
        }
        finally
        {
            await Rig.S3.Server.RestartAsync(Ct);
        }

        Assert.Equal(ClipAckStatus.Complete, (await device.NextAckAsync(AckDeadline, Ct)).Status);
        Assert.Equal(upload.Manifest.Sha256, await Rig.StoredSha256Async(upload));
    }

    [Fact]
    public async Task TwoReceiversOnOneGroup_SplitTheChunks_AndStoreEveryClipOnce()
    {
        var a = await Rig.StartReceiverAsync("r1");
        var b = await Rig.StartReceiverAsync("r2");
        var device = await Rig.DeviceAsync();
        var uploads = Enumerable.Range(0, 8).Select(i => StagedUploads.Random($"c{i}", 400_000 + i, ChunkBytes, seed: i)).ToList();

        foreach (var upload in uploads)
        {
            await device.UploadAsync(upload, Ct);
        }

        var acks = new List<ClipAck>();
        for (var i = 0; i < uploads.Count; i++)
        {
            acks.Add(await device.NextAckAsync(AckDeadline, Ct));
        }

        Assert.All(acks, ack => Assert.Equal(ClipAckStatus.Complete, ack.Status));
        Assert.Equal(uploads.Select(u => u.Manifest.ClipId).Order(), acks.Select(ack => ack.ClipId).Order());
        Assert.True(a.Counters.Chunks > 0 && b.Counters.Chunks > 0, $"one group splits the chunks: {a.Counters.Chunks} / {b.Counters.Chunks}");
        Assert.Equal(uploads.Sum(u => u.Count), a.Counters.Chunks + b.Counters.Chunks);
        Assert.Equal(uploads.Count, a.Counters.Completed + b.Counters.Completed);
        Assert.Equal(uploads.Count, (await Rig.Catalog.ListClipsAsync(new ClipQuery(), Ct)).Items.Count);
        foreach (var upload in uploads)
        {
            Assert.Equal(upload.Manifest.Sha256, await Rig.StoredSha256Async(upload));
        }
    }

    [Fact]
    public async Task MoreWholeClipsThanTheAssemblyQueueHolds_AreAllStored()
    {
        // One queue slot and one assembler: most offers find the queue full and the sweep picks them up.
        var receiver = await Rig.StartReceiverAsync("r1", o => (o.AssemblyQueueLength, o.AssemblyConcurrency) = (1, 1));
        var device = await Rig.DeviceAsync();
        var uploads = Enumerable.Range(0, 12).Select(i => StagedUploads.Random($"q{i}", 200_000, 64 * 1024, seed: i)).ToList();

        foreach (var upload in uploads)
        {
            await device.UploadAsync(upload, Ct);
        }

        var acked = new HashSet<string>(StringComparer.Ordinal);
        while (acked.Count < uploads.Count)
        {
            acked.Add((await device.NextAckAsync(AckDeadline, Ct)).ClipId);
        }

        Assert.Equal(uploads.Count, receiver.Counters.Completed);
        Assert.Equal(new StagingUsage(0, 0, 0), await Rig.Catalog.GetUsageAsync(Ct));
    }

    private static async Task WaitForAsync(Func<bool> condition, Func<string> what)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"Not within 30 s: {what()}");
            }
        }
    }
}
