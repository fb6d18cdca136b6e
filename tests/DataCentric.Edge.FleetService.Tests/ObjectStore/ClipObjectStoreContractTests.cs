using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.FleetService.ObjectStore;

namespace DataCentric.Edge.FleetService.Tests.ObjectStore;

/// <summary>
/// What every <see cref="IClipObjectStore"/> promises, run against each implementation (a real
/// s3rver, a temp folder). Each test writes under a prefix of its own.
/// </summary>
public abstract class ClipObjectStoreContractTests : IAsyncLifetime
{
    protected const int MiB = 1024 * 1024;

    /// <summary>The multipart part size the S3 store is given: S3's minimum, so 12 MiB is three parts.</summary>
    protected const int PartBytes = 5 * MiB;

    private static readonly ClipObjectMetadata SomeMetadata = new("0190f3c2a1b27c4e8d5f6a7b8c9d0e1f", ["hard_brake", "class mismatch,ped"], new string('a', 64));

    protected string Prefix { get; } = $"t-{Guid.NewGuid():N}/";

    protected IClipObjectStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Whether the store gives presigned URLs (S3 does, the local folder does not).</summary>
    protected abstract bool HasDownloadUrls { get; }

    public async ValueTask InitializeAsync() => Store = await CreateStoreAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(PartBytes)] // Exactly one part: a single PUT.
    [InlineData(PartBytes + 1)] // A full part and a 1-byte last part.
    [InlineData(2 * PartBytes)] // Two full parts and no empty third.
    [InlineData(12 * MiB)] // Three parts: 5, 5 and 2 MiB.
    public async Task Upload_InChunks_StoresTheExactBytes_AndReportsTheirSha256(int size)
    {
        var data = RandomBytes(size);
        var key = Key("clip.mcap");

        var result = await UploadAsync(key, data, Digest(data));

        Assert.True(result.Stored, result.Refusal);
        Assert.Equal(Digest(data), result.Actual);
        Assert.Equal(data, await ReadAllAsync(key));
        Assert.Equal(size, (await Store.HeadAsync(key, Ct))?.Length);
    }

    [Theory]
    [InlineData(1000)] // Refused before the single PUT is sent.
    [InlineData(6 * MiB)] // Refused after a part went up: the multipart upload is aborted.
    public async Task Upload_WithAnotherSha256_IsRefused_AndLeavesNoObject(int size)
    {
        var data = RandomBytes(size);
        var key = Key("clip.mcap");
        var declared = Digest(RandomBytes(size));

        var result = await UploadAsync(key, data, declared);

        Assert.False(result.Stored);
        Assert.Equal(Digest(data), result.Actual);
        Assert.Contains(declared.Sha256, result.Refusal, StringComparison.Ordinal);
        Assert.Null(await Store.HeadAsync(key, Ct));
        Assert.Null(await Store.OpenReadAsync(key, null, Ct));
    }

    [Fact]
    public async Task Upload_WithTheRightSha256ButAnotherLength_IsRefused()
    {
        var data = RandomBytes(1000);
        var key = Key("clip.mcap");

        var result = await UploadAsync(key, data, Digest(data) with { Length = 999 });

        Assert.False(result.Stored);
        Assert.Null(await Store.HeadAsync(key, Ct));
    }

    [Fact]
    public async Task Upload_RefusedForAnExistingKey_LeavesTheStoredObjectAsItWas()
    {
        var key = Key("clip.mcap");
        var stored = RandomBytes(6 * MiB);
        Assert.True((await UploadAsync(key, stored, Digest(stored))).Stored);

        var corrupt = RandomBytes(6 * MiB);
        var result = await UploadAsync(key, corrupt, Digest(stored));

        Assert.False(result.Stored);
        Assert.Equal(stored, await ReadAllAsync(key));
    }

    [Fact]
    public async Task Upload_DisposedWithoutCompleting_LeavesNoObject()
    {
        var key = Key("clip.mcap");
        await using (var upload = await Store.BeginUploadAsync(key, SomeMetadata, Ct))
        {
            await upload.WriteAsync(RandomBytes(6 * MiB), Ct);
        }

        Assert.Null(await Store.HeadAsync(key, Ct));
    }

    [Fact]
    public async Task Upload_CancelledWhileSendingAPart_IsAborted_AndLeavesNoObject()
    {
        var key = Key("clip.mcap");
        await using var upload = await Store.BeginUploadAsync(key, SomeMetadata, Ct);
        await upload.WriteAsync(RandomBytes(PartBytes), Ct);

        // The next byte makes the full buffer a part to send (S3), or goes to the file (folder).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await upload.WriteAsync(new byte[1], new CancellationToken(canceled: true)));

        await Assert.ThrowsAsync<InvalidOperationException>(() => upload.CompleteAsync(Ct));
        Assert.Null(await Store.HeadAsync(key, Ct));
    }

    [Fact]
    public async Task Upload_AfterAbort_CannotBeCompleted()
    {
        var key = Key("clip.mcap");
        await using var upload = await Store.BeginUploadAsync(key, SomeMetadata, Ct);
        await upload.WriteAsync(RandomBytes(100), Ct);
        await upload.AbortAsync(Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => upload.CompleteAsync(Ct));
        Assert.Null(await Store.HeadAsync(key, Ct));
    }

    [Fact]
    public async Task Upload_FinishedTwice_GivesTheSameDigest_AndTakesNoMoreBytes()
    {
        var data = RandomBytes(1000);
        await using var upload = await Store.BeginUploadAsync(Key("clip.mcap"), SomeMetadata, Ct);
        await upload.WriteAsync(data, Ct);

        var first = await upload.FinishAsync(Ct);

        Assert.Equal(first, await upload.FinishAsync(Ct));
        Assert.Equal(Digest(data), first);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await upload.WriteAsync(data, Ct));
    }

    [Fact]
    public async Task Upload_WithMetadataLargerThanS3Allows_IsRefusedBeforeAnyByte()
    {
        var metadata = SomeMetadata with { TriggerIds = [.. Enumerable.Range(0, 300).Select(i => $"trigger_{i}")] };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.BeginUploadAsync(Key("clip.mcap"), metadata, Ct));
    }

    [Fact]
    public async Task Put_StoresBytesAndMetadata_ThatHeadAndReadGiveBack()
    {
        var data = RandomBytes(70_000);
        var key = Key("clip.mcap");
        var metadata = SomeMetadata with { Sha256 = Digest(data).Sha256 };

        var digest = await Store.PutAsync(key, new MemoryStream(data), metadata, Ct);

        Assert.Equal(Digest(data), digest);
        var head = await Store.HeadAsync(key, Ct);
        Assert.NotNull(head);
        Assert.Equal(key, head.Key);
        Assert.Equal(data.Length, head.Length);
        Assert.Equal(metadata, head.Metadata);
        Assert.InRange(head.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        await using var content = await Store.OpenReadAsync(key, null, Ct);
        Assert.NotNull(content);
        Assert.Equal(metadata, content.Info.Metadata);
    }

    [Fact]
    public async Task Put_OfANonSeekableStreamLargerThanAPart_StoresTheExactBytes()
    {
        var data = RandomBytes(11 * MiB);
        var key = Key("clip.mcap");

        var digest = await Store.PutAsync(key, new NonSeekableStream(data), SomeMetadata, Ct);

        Assert.Equal(Digest(data), digest);
        Assert.Equal(data, await ReadAllAsync(key));
    }

    [Fact]
    public async Task Put_WhoseMetadataDeclaresAnotherSha256_ThrowsAndStoresNothing()
    {
        var data = RandomBytes(1000);
        var key = Key("clip.mcap");

        var e = await Assert.ThrowsAsync<ClipDigestMismatchException>(
            () => Store.PutAsync(key, new MemoryStream(data), SomeMetadata with { Sha256 = new string('0', 64) }, Ct));

        Assert.Equal(Digest(data), e.Actual);
        Assert.Null(await Store.HeadAsync(key, Ct));
    }

    [Theory]
    [InlineData(0, 1L)]
    [InlineData(100, 1000L)]
    [InlineData(PartBytes - 10, 20L)] // Across the boundary of the first two parts.
    [InlineData(6 * MiB - 10, null)] // To the end.
    [InlineData(6 * MiB - 10, 100L)] // Past the end: stops at the end, as HTTP Range does.
    public async Task OpenRead_WithARange_GivesExactlyThoseBytes(int offset, long? length)
    {
        var data = RandomBytes(6 * MiB);
        var key = Key("clip.mcap");
        Assert.True((await UploadAsync(key, data, Digest(data))).Stored);
        var expectedLength = (int)Math.Min(length ?? long.MaxValue, data.Length - offset);

        await using var content = await Store.OpenReadAsync(key, new ClipByteRange(offset, length), Ct);

        Assert.NotNull(content);
        Assert.Equal(offset, content.Offset);
        Assert.Equal(expectedLength, content.Length);
        Assert.Equal(data.Length, content.Info.Length);
        Assert.Equal(data.AsSpan(offset, expectedLength).ToArray(), await ReadToEndAsync(content.Content));
    }

    [Fact]
    public async Task OpenRead_WithARangePastTheEnd_SaysNotSatisfiable_WithTheObjectLength()
    {
        var key = Key("clip.mcap");
        await Store.PutAsync(key, new MemoryStream(RandomBytes(1000)), SomeMetadata, Ct);

        var e = await Assert.ThrowsAsync<ClipRangeNotSatisfiableException>(() => Store.OpenReadAsync(key, new ClipByteRange(1000, 10), Ct));

        Assert.Equal(1000, e.ObjectLength);
    }

    [Fact]
    public async Task MissingObject_IsNullForHeadAndRead_AndDeletingItIsNoError()
    {
        var key = Key("nothing-here.mcap");

        Assert.Null(await Store.HeadAsync(key, Ct));
        Assert.Null(await Store.OpenReadAsync(key, null, Ct));
        Assert.Null(await Store.OpenReadAsync(key, new ClipByteRange(10, 10), Ct));
        await Store.DeleteAsync(key, Ct);
    }

    [Fact]
    public async Task Delete_RemovesTheObject()
    {
        var key = Key("clip.mcap");
        await Store.PutAsync(key, new MemoryStream(RandomBytes(10)), SomeMetadata, Ct);

        await Store.DeleteAsync(key, Ct);

        Assert.Null(await Store.HeadAsync(key, Ct));
        Assert.Null(await Store.OpenReadAsync(key, null, Ct));
    }

    [Fact]
    public async Task ClipsStoredUnderTheLayoutKeys_AreFoundByThemOnly()
    {
        var start = new DateTimeOffset(2026, 12, 5, 23, 30, 0, TimeSpan.FromHours(-2)); // 2026-12-06 in UTC.
        var first = ClipObjectKeys.For(Prefix, Manifest("fleet-a", "pi-01", start, "c1"));
        var second = ClipObjectKeys.For(Prefix, Manifest("fleet-a", "pi-02", start, "c1"));
        await Store.PutAsync(first, new MemoryStream([1, 2, 3]), SomeMetadata with { ClipId = "c1" }, Ct);
        await Store.PutAsync(second, new MemoryStream([4, 5]), SomeMetadata with { ClipId = "c1" }, Ct);

        Assert.Equal($"{Prefix}fleet-a/pi-01/2026-12-06/c1.mcap", first);
        Assert.Equal([1, 2, 3], await ReadAllAsync(first));
        Assert.Equal([4, 5], await ReadAllAsync(second));
        Assert.Null(await Store.HeadAsync($"{Prefix}fleet-a/pi-01/2026-12-05/c1.mcap", Ct));
    }

    [Theory]
    [InlineData("../escape.mcap")]
    [InlineData("/absolute.mcap")]
    [InlineData("a//b.mcap")]
    [InlineData("a/.hidden/b.mcap")]
    [InlineData("a/b c.mcap")]
    public async Task Keys_ThatAreNotOfTheLayoutsShape_AreRefused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.HeadAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.BeginUploadAsync(key, SomeMetadata, Ct));
    }

    [Fact]
    public async Task DownloadUrl_WhereTheStoreHasThem_ServesTheObjectOverHttp()
    {
        var data = RandomBytes(3000);
        var key = Key("clip.mcap");
        await Store.PutAsync(key, new MemoryStream(data), SomeMetadata, Ct);

        var url = await Store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(5), Ct);

        if (!HasDownloadUrls)
        {
            Assert.Null(url);
            return;
        }

        Assert.NotNull(url);
        using var http = new HttpClient();
        Assert.Equal(data, await http.GetByteArrayAsync(url, Ct));
    }

    protected abstract Task<IClipObjectStore> CreateStoreAsync();

    protected string Key(string name) => $"{Prefix}fleet-a/pi-01/2026-12-05/{name}";

    /// <summary>Streams <paramref name="data"/> in uneven chunks (as MQTT chunks arrive), then completes if it matches.</summary>
    protected async Task<ClipUploadResult> UploadAsync(string key, byte[] data, ClipDigest expected)
    {
        await using var upload = await Store.BeginUploadAsync(key, SomeMetadata, Ct);
        const int ChunkBytes = 131_071;
        for (var offset = 0; offset < data.Length; offset += ChunkBytes)
        {
            await upload.WriteAsync(data.AsMemory(offset, Math.Min(ChunkBytes, data.Length - offset)), Ct);
        }

        Assert.Equal(data.Length, upload.Length);
        return await upload.CompleteIfMatchesAsync(expected, Ct);
    }

    protected async Task<byte[]> ReadAllAsync(string key)
    {
        await using var content = await Store.OpenReadAsync(key, null, Ct);
        Assert.NotNull(content);
        var bytes = await ReadToEndAsync(content.Content);
        Assert.Equal(content.Length, bytes.Length);
        return bytes;
    }

    protected static byte[] RandomBytes(int size)
    {
        var data = new byte[size];
        Random.Shared.NextBytes(data);
        return data;
    }

    protected static ClipDigest Digest(byte[] data) => new(Convert.ToHexStringLower(SHA256.HashData(data)), data.Length);

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    private static ClipManifest Manifest(string fleet, string device, DateTimeOffset start, string clipId) =>
        new(clipId, fleet, device, clipId + ".mcap", 3, new string('0', 64), 131_072, 1, 0, ["t"], start, start.AddSeconds(10), 1, null);

    /// <summary>A stream that cannot seek or say its length, like a request body.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
