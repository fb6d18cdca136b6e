using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.FleetService.Tests.ObjectStore;

/// <summary>The store contract against the local folder, plus what only the folder has.</summary>
[Trait("Category", "Integration")]
public sealed class DirectoryClipObjectStoreTests : ClipObjectStoreContractTests
{
    private readonly TempDirectory _dir = new("dce-objects");

    protected override bool HasDownloadUrls => false;

    [Fact]
    public async Task Objects_LieAtTheirKeys_WithNoUploadLeftBehind()
    {
        var key = Key("clip.mcap");
        var data = RandomBytes(1000);
        Assert.True((await UploadAsync(key, data, Digest(data))).Stored);
        Assert.False((await UploadAsync(Key("refused.mcap"), data, Digest(RandomBytes(5)))).Stored);

        Assert.Equal(data, await File.ReadAllBytesAsync(_dir.Combine(key.Split('/')), Ct));
        Assert.Empty(Directory.EnumerateFiles(_dir.Combine(".uploads")));
        Assert.False(File.Exists(_dir.Combine(Key("refused.mcap").Split('/'))));
    }

    [Fact]
    public async Task Start_RemovesUploadsADayOld_AndKeepsNewerOnes()
    {
        var old = _dir.Combine(".uploads", "old.tmp");
        var recent = _dir.Combine(".uploads", "recent.tmp");
        await File.WriteAllBytesAsync(old, [1], Ct);
        await File.WriteAllBytesAsync(recent, [1], Ct);
        var now = DateTimeOffset.UtcNow;
        File.SetLastWriteTimeUtc(old, now.AddDays(-2).UtcDateTime);
        File.SetLastWriteTimeUtc(recent, now.AddHours(-1).UtcDateTime);

        _ = new DirectoryClipObjectStore(_dir.Path, new FakeTimeProvider(now), NullLogger<DirectoryClipObjectStore>.Instance);

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
    }

    public override ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return base.DisposeAsync();
    }

    protected override Task<IClipObjectStore> CreateStoreAsync() =>
        Task.FromResult<IClipObjectStore>(new DirectoryClipObjectStore(_dir.Path, TimeProvider.System, NullLogger<DirectoryClipObjectStore>.Instance));
}
