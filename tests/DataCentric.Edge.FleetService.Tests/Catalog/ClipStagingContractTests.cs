using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Catalog.Staging;
using static DataCentric.Edge.FleetService.Tests.Catalog.CatalogSamples;

namespace DataCentric.Edge.FleetService.Tests.Catalog;

/// <summary>
/// What every clip staging store must do (PostgreSQL on a real server, LiteDB on a real file), run
/// by a subclass; each test gets an empty catalog. Chunks are 1 KiB so a clip has several.
/// </summary>
public abstract class ClipStagingContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private IFleetCatalog? _catalog;

    protected IFleetCatalog Catalog => _catalog ?? throw new InvalidOperationException("No catalog yet.");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _catalog = await CreateCatalogAsync();

    public async ValueTask DisposeAsync()
    {
        await DisposeCatalogAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IFleetCatalog> CreateCatalogAsync();

    protected abstract ValueTask DisposeCatalogAsync();

    [Fact]
    public async Task UploadProgress_CountsTheChunksOfTheManifestsSize_ForUploadsOverlappingTheWindow()
    {
        var arriving = StagedUploads.Random("c1", 3000, 1024);
        var other = StagedUploads.Random("c2", 2000, 1024, device: "cam-2");
        var chunksOnly = StagedUploads.Random("c3", 2000, 1024);
        await Catalog.StageManifestAsync(arriving.Manifest, T0, Ct);
        await Catalog.StageManifestAsync(other.Manifest, T0, Ct);
        foreach (var i in new[] { 0, 2 })
        {
            await Catalog.StageChunkAsync(arriving.Chunk(i), T0, Ct);
        }

        await Catalog.StageChunkAsync(other.Chunk(0), T0, Ct);
        await Catalog.StageChunkAsync(chunksOnly.Chunk(0), T0, Ct); // no manifest yet: its window is not known

        var progress = await Catalog.ListUploadProgressAsync("acme", "cam-1", T0.AddSeconds(-30), T0.AddSeconds(5), Ct);

        var only = Assert.Single(progress);
        Assert.Equal(("c1", 3, 2, 1024L + (3000 - 2048), 3000L), (only.ClipId, only.ChunkCount, only.ChunksStaged, only.BytesStaged, only.SizeBytes));
        Assert.Empty(await Catalog.ListUploadProgressAsync("acme", "cam-1", T0.AddMinutes(1), T0.AddMinutes(2), Ct)); // the clip ends at T0 + 20 s
    }

    [Fact]
    public async Task ManifestThenEveryChunk_IsClaimed_AndReadsBackTheBytesInOrder()
    {
        var upload = StagedUploads.Random("c1", 3000, 1024);
        Assert.Equal(StageOutcome.Staged, await Catalog.StageManifestAsync(upload.Manifest, T0, Ct));
        for (var i = upload.Count - 1; i >= 0; i--)
        {
            Assert.Null(await Catalog.TryClaimAsync(upload.Clip, "r1", T0, Lease, Ct));
            Assert.Equal(StageOutcome.Staged, await Catalog.StageChunkAsync(upload.Chunk(i), T0, Ct));
        }

        var claim = await Catalog.TryClaimAsync(upload.Clip, "r1", T0, Lease, Ct);

        Assert.NotNull(claim);
        Assert.Equal(upload.Manifest.Sha256, claim.Manifest.Sha256);
        Assert.Equal(T0 + Lease, claim.LeaseUntil);
        Assert.Equal(upload.Bytes, await ReadAllAsync(claim));
    }

    [Fact]
    public async Task ChunksBeforeTheManifest_AreKept_AndTheManifestCompletesTheUpload()
    {
        var upload = StagedUploads.Random("c1", 2048, 1024);
        await Catalog.StageChunkAsync(upload.Chunk(0), T0, Ct);
        await Catalog.StageChunkAsync(upload.Chunk(1), T0, Ct);
        Assert.Null(await Catalog.TryClaimAsync(upload.Clip, "r1", T0, Lease, Ct));

        await Catalog.StageManifestAsync(upload.Manifest, T0, Ct);

        Assert.NotNull(await Catalog.TryClaimAsync(upload.Clip, "r1", T0, Lease, Ct));
    }

    [Fact]
    public async Task Resends_AreDuplicates_AndChangeNothing()
    {
        var upload = StagedUploads.Random("c1", 1500, 1024);
        await StageAllAsync(upload);

        Assert.Equal(StageOutcome.Duplicate, await Catalog.StageManifestAsync(upload.Manifest, T0.AddSeconds(1), Ct));
        Assert.Equal(StageOutcome.Duplicate, await Catalog.StageChunkAsync(upload.Chunk(1), T0.AddSeconds(1), Ct));
        Assert.Equal(new StagingUsage(1, 2, 1500), await Catalog.GetUsageAsync(Ct));
    }

    [Fact]
    public async Task ALiveLease_KeepsOtherReceiversOut_UntilItExpiresOrIsReleased()
    {
        var upload = StagedUploads.Random("c1", 1024, 1024);
        await StageAllAsync(upload);
        var first = await Catalog.TryClaimAsync(upload.Clip, "r1", T0, Lease, Ct);
        Assert.NotNull(first);

        Assert.Null(await Catalog.TryClaimAsync(upload.Clip, "r2", T0.AddMinutes(1), Lease, Ct));
        Assert.Empty(await Catalog.ListReadyAsync(T0.AddMinutes(1), 10, Ct));

        // The first receiver died: its lease runs out and the clip is ready again.
        Assert.Equal([upload.Clip], await Catalog.ListReadyAsync(T0 + Lease, 10, Ct));
        var second = await Catalog.TryClaimAsync(upload.Clip, "r2", T0 + Lease, Lease, Ct);
        Assert.Equal("r2", second?.Owner);

        await Catalog.ReleaseAsync(second!, Ct);
        Assert.NotNull(await Catalog.TryClaimAsync(upload.Clip, "r3", T0 + Lease, Lease, Ct));
    }

    [Fact]
    public async Task TwoReceiversClaimingAtOnce_OnlyOneGetsTheClip()
    {
        var upload = StagedUploads.Random("c1", 4096, 1024);
        await StageAllAsync(upload);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Catalog.TryClaimAsync(upload.Clip, $"r{i}", T0, Lease, Ct), Ct)));

        Assert.Single(claims, c => c is not null);
    }

    [Fact]
    public async Task Complete_CataloguesTheClip_RemovesTheStagedRows_AndASecondCompletionIsAlreadyPresent()
    {
        var upload = StagedUploads.Random("c1", 2500, 1024);
        await StageAllAsync(upload);
        var claim = (await Catalog.TryClaimAsync(upload.Clip, "r1", T0, Lease, Ct))!;

        Assert.Equal(CatalogWrite.Added, await Catalog.CompleteAsync(claim, upload.Catalogued(T0), Ct));
        Assert.Equal(CatalogWrite.AlreadyPresent, await Catalog.CompleteAsync(claim, upload.Catalogued(T0.AddSeconds(1)), Ct));

        Assert.Equal(upload.Manifest.Sha256, (await Catalog.GetClipAsync("c1", Ct))?.Sha256);
        Assert.Single((await Catalog.ListClipsAsync(new ClipQuery(), Ct)).Items);
        Assert.Equal(new StagingUsage(0, 0, 0), await Catalog.GetUsageAsync(Ct));
    }

    [Fact]
    public async Task AfterCompletion_TheManifestIsAlreadyCatalogued_AndLateChunksAreDropped()
    {
        var upload = StagedUploads.Random("c1", 2048, 1024);
        await StageAllAsync(upload);
        await Catalog.CompleteAsync((await Catalog.TryClaimAsync(upload.Clip, "r1", T0, Lease, Ct))!, upload.Catalogued(T0), Ct);

        Assert.Equal(StageOutcome.AlreadyCatalogued, await Catalog.StageManifestAsync(upload.Manifest, T0, Ct));
        Assert.Equal(StageOutcome.AlreadyCatalogued, await Catalog.StageChunkAsync(upload.Chunk(1), T0, Ct));
        Assert.Equal(new StagingUsage(0, 0, 0), await Catalog.GetUsageAsync(Ct));
    }

    [Fact]
    public async Task AClipIdCataloguedForAnotherDevice_IsAConflict()
    {
        var theirs = StagedUploads.Random("c1", 1024, 1024, device: "cam-1");
        await StageAllAsync(theirs);
        await Catalog.CompleteAsync((await Catalog.TryClaimAsync(theirs.Clip, "r1", T0, Lease, Ct))!, theirs.Catalogued(T0), Ct);

        var forged = StagedUploads.Random("c1", 1024, 1024, device: "cam-2", seed: 2);

        Assert.Equal(StageOutcome.Conflict, await Catalog.StageManifestAsync(forged.Manifest, T0, Ct));
        Assert.Equal(theirs.Manifest.Sha256, (await Catalog.GetClipAsync("c1", Ct))?.Sha256);
    }

    [Fact]
    public async Task AChunkWhoseCountDisagreesWithItsManifest_IsAConflict_AndNotStaged()
    {
        var upload = StagedUploads.Random("c1", 2048, 1024);
        await Catalog.StageManifestAsync(upload.Manifest, T0, Ct);

        var wrong = upload.Chunk(0) with { Count = 5 };

        Assert.Equal(StageOutcome.Conflict, await Catalog.StageChunkAsync(wrong, T0, Ct));
        Assert.Equal(0, (await Catalog.GetUsageAsync(Ct)).Chunks);
    }

    [Fact]
    public async Task AChunkThatDoesNotFitItsOwnShape_IsRefusedWithWhatIsWrong()
    {
        var upload = StagedUploads.Random("c1", 2048, 1024);

        var past = await Assert.ThrowsAsync<ArgumentException>(() => Catalog.StageChunkAsync(upload.Chunk(0) with { Index = 2 }, T0, Ct));
        var oversized = await Assert.ThrowsAsync<ArgumentException>(() => Catalog.StageChunkAsync(upload.Chunk(0) with { ChunkBytes = 512 }, T0, Ct));

        Assert.Contains("no place in its clip", past.Message, StringComparison.Ordinal);
        Assert.Contains("1024 bytes; chunks of this clip hold 1 to 512", oversized.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManifestWhoseChunkArithmeticDoesNotAddUp_IsRefused()
    {
        var upload = StagedUploads.Random("c1", 2048, 1024);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Catalog.StageManifestAsync(upload.Manifest with { ChunkCount = 3 }, T0, Ct));

        Assert.Contains("2048 bytes in 3 chunks of 1024 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await Catalog.GetUsageAsync(Ct)).Uploads);
    }

    [Fact]
    public async Task ANewChunkSize_DropsTheChunksOfTheOldSize()
    {
        var before = StagedUploads.Random("c1", 3000, 1024);
        await StageAllAsync(before);
        var after = StagedUploads.For("c1", before.Bytes, 512);

        Assert.Equal(StageOutcome.Staged, await Catalog.StageManifestAsync(after.Manifest, T0.AddSeconds(1), Ct));

        Assert.Equal(0, (await Catalog.GetUsageAsync(Ct)).Chunks);
        Assert.Null(await Catalog.TryClaimAsync(after.Clip, "r1", T0, Lease, Ct));
        for (var i = 0; i < after.Count; i++)
        {
            await Catalog.StageChunkAsync(after.Chunk(i), T0.AddSeconds(2), Ct);
        }

        var claim = await Catalog.TryClaimAsync(after.Clip, "r1", T0, Lease, Ct);
        Assert.Equal(before.Bytes, await ReadAllAsync(claim!));
    }

    [Fact]
    public async Task Discard_RemovesTheUploadAndItsChunks()
    {
        var upload = StagedUploads.Random("c1", 2048, 1024);
        await StageAllAsync(upload);

        await Catalog.DiscardAsync(upload.Clip, Ct);

        Assert.Equal(new StagingUsage(0, 0, 0), await Catalog.GetUsageAsync(Ct));
        Assert.Null(await Catalog.GetClipAsync("c1", Ct));
    }

    [Fact]
    public async Task RemoveAbandoned_TakesOnlyWhatWentQuiet()
    {
        var quiet = StagedUploads.Random("quiet", 2048, 1024);
        await Catalog.StageManifestAsync(quiet.Manifest, T0, Ct);
        await Catalog.StageChunkAsync(quiet.Chunk(0), T0, Ct);
        var stray = StagedUploads.Random("stray", 2048, 1024);
        await Catalog.StageChunkAsync(stray.Chunk(1), T0, Ct);
        var active = StagedUploads.Random("active", 2048, 1024);
        await Catalog.StageManifestAsync(active.Manifest, T0, Ct);
        await Catalog.StageChunkAsync(active.Chunk(0), T0.AddHours(2), Ct);

        var removed = await Catalog.RemoveAbandonedAsync(T0.AddHours(1), T0.AddHours(2), Ct);

        Assert.Equal([quiet.Clip, stray.Clip], removed);
        Assert.Equal(new StagingUsage(1, 1, 1024), await Catalog.GetUsageAsync(Ct));
    }

    private async Task StageAllAsync(StagedUploads upload)
    {
        await Catalog.StageManifestAsync(upload.Manifest, T0, Ct);
        for (var i = 0; i < upload.Count; i++)
        {
            await Catalog.StageChunkAsync(upload.Chunk(i), T0, Ct);
        }
    }

    private async Task<byte[]> ReadAllAsync(ClipClaim claim)
    {
        var bytes = new List<byte>();
        await foreach (var chunk in Catalog.ReadChunksAsync(claim, Ct))
        {
            bytes.AddRange(chunk.ToArray());
        }

        return [.. bytes];
    }
}
