using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Fleet.Tests.Receiver;

[Trait("Category", "Integration")]
public sealed class ReceiverStorageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void RemoveAbandoned_RemovesOnlyPartialClipsIdleForTooLong()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var storage = new ReceiverStorage(_dir.Path, time);
        storage.WriteChunk("f1", "d1", "old", 0, 2, 16, new byte[16]);
        storage.WriteChunk("f1", "d1", "fresh", 0, 2, 16, new byte[16]);
        var oldDir = Path.Combine(storage.PartialRoot, "f1", "d1", "old");
        foreach (var file in Directory.EnumerateFiles(oldDir))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-2));
        }

        var removed = storage.RemoveAbandoned(TimeSpan.FromHours(24));

        Assert.Equal([Path.Combine("f1", "d1", "old")], removed);
        Assert.False(Directory.Exists(oldDir));
        Assert.True(Directory.Exists(Path.Combine(storage.PartialRoot, "f1", "d1", "fresh")));
    }

    public void Dispose() => _dir.Dispose();
}
