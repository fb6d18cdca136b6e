using System.Text.RegularExpressions;
using Amazon.Runtime;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.ObjectStore.S3;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataCentric.Edge.FleetService.Tests.ObjectStore;

/// <summary>The store contract against a real S3-compatible server (s3rver), plus what only S3 has.</summary>
[Trait("Category", "Integration")]
public sealed class S3ClipObjectStoreTests(S3rverFixture s3) : ClipObjectStoreContractTests, IClassFixture<S3rverFixture>
{
    protected override bool HasDownloadUrls => true;

    [Fact]
    public async Task Upload_Of12MiB_GoesUpAsThreeParts_InOrder()
    {
        var data = RandomBytes(12 * MiB);
        var key = Key("parts.mcap");

        Assert.True((await UploadAsync(key, data, Digest(data))).Stored);

        var parts = PartUploads(key);
        Assert.Equal([1, 2, 3], parts);
    }

    [Fact]
    public async Task Upload_Refused_AfterAPart_SendsTheAbort()
    {
        var data = RandomBytes(6 * MiB);
        var key = Key("refused.mcap");

        Assert.False((await UploadAsync(key, data, Digest(RandomBytes(10)))).Stored);

        // s3rver 3.7.1 answers AbortMultipartUpload (DELETE ?uploadId=) with 405, not implemented:
        // the store logs it and the object never appears. The request itself must have gone out.
        Assert.Matches($@"{Regex.Escape(key)}\?uploadId=[0-9a-f]+ (204|405) ", s3.Server.Log);
    }

    [Fact]
    public async Task Objects_AreStoredWithoutChecksumFraming_WithTheCompatibilitySettings()
    {
        var data = RandomBytes(10);
        var key = Key("framing.mcap");
        await Store.PutAsync(key, new MemoryStream(data), new ClipObjectMetadata("c", [], null), Ct);

        Assert.Equal(data.Length, StoredFileLength(key));
    }

    [Fact]
    public async Task Objects_GetChecksumFramingInside_WithTheSdkDefaults_SoTheSettingsAreConfiguration()
    {
        // STACK-NOTES: a 10-byte object was stored as 303 bytes. This proves the two options reach the SDK.
        var options = s3.Options(PartBytes);
        options.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_SUPPORTED;
        options.UseChunkEncoding = true;
        using var client = S3ClientFactory.Create(options);
        var store = new S3ClipObjectStore(client, options, TimeProvider.System, NullLogger<S3ClipObjectStore>.Instance);
        var key = Key("framed.mcap");

        await store.PutAsync(key, new MemoryStream(RandomBytes(10)), new ClipObjectMetadata("c", [], null), Ct);

        Assert.NotEqual(10, StoredFileLength(key));
    }

    [Fact]
    public async Task DownloadUrl_IsPresigned_AndRefusedOnceExpired()
    {
        var key = Key("expiring.mcap");
        await Store.PutAsync(key, new MemoryStream(RandomBytes(10)), new ClipObjectMetadata("c", [], null), Ct);
        var past = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var options = s3.Options(PartBytes);
        var store = new S3ClipObjectStore(s3.Client, options, past, NullLogger<S3ClipObjectStore>.Instance);

        var url = await store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(5), Ct);

        Assert.NotNull(url);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var response = await http.GetAsync(url, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CheckBucket_NamesTheMissingBucket()
    {
        var options = s3.Options(PartBytes);
        options.Bucket = "no-such-bucket";
        var store = new S3ClipObjectStore(s3.Client, options, TimeProvider.System, NullLogger<S3ClipObjectStore>.Instance);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CheckBucketAsync(Ct));

        Assert.Contains("no-such-bucket", e.Message, StringComparison.Ordinal);
        await new S3ClipObjectStore(s3.Client, s3.Options(PartBytes), TimeProvider.System, NullLogger<S3ClipObjectStore>.Instance).CheckBucketAsync(Ct);
    }

    [Theory]
    [InlineData("bytes 0-9/100", 0L, 100L)]
    [InlineData("bytes 5242870-5242889/6291456", 5242870L, 6291456L)]
    [InlineData(null, null, null)]
    [InlineData("bytes */100", null, null)]
    public void ParseContentRange_ReadsTheFirstByteAndTotal(string? header, long? offset, long? total)
    {
        var parsed = S3ClipObjectStore.ParseContentRange(header);

        Assert.Equal(offset, parsed?.Offset);
        Assert.Equal(total, parsed?.Total);
    }

    protected override Task<IClipObjectStore> CreateStoreAsync() =>
        Task.FromResult<IClipObjectStore>(new S3ClipObjectStore(s3.Client, s3.Options(PartBytes), TimeProvider.System, NullLogger<S3ClipObjectStore>.Instance));

    /// <summary>
    /// The part numbers s3rver stored for <paramref name="key"/>, in the order it answered them. Its
    /// request log cuts the first characters of each line (method and bucket), so lines are
    /// matched by the key, which is unique to the test.
    /// </summary>
    private int[] PartUploads(string key) =>
        [.. Regex.Matches(s3.Server.Log, $@"{Regex.Escape(key)}\?partNumber=(\d+)&uploadId=[0-9a-f]+ 200 ")
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The size of the file s3rver keeps the object's bytes in.</summary>
    private long StoredFileLength(string key)
    {
        var name = Path.GetFileName(key);
        var dir = Path.Combine([s3.Server.DataDirectory, S3rverFixture.Bucket, .. Path.GetDirectoryName(key)!.Split('/')]);
        return new FileInfo(Path.Combine(dir, $"{name}._S3rver_object")).Length;
    }
}
