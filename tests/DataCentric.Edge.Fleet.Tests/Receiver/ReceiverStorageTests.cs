using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
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

    /// <summary>
    /// A sweep racing assembly (a second receiver of a shared group, or the same receiver's sweep
    /// beside its chunk handler): every clip here looks abandoned and is completed while the sweep
    /// runs, so the sweep finds folders that vanish under it. Each clip ends assembled or removed,
    /// never both, and the sweep never fails (it once threw DirectoryNotFoundException in CI).
    /// </summary>
    [Fact]
    public async Task RemoveAbandoned_RacingAssembly_RemovesOnlyWhatNobodyCompleted_AndNeverFails()
    {
        var storage = new ReceiverStorage(_dir.Path, TimeProvider.System);
        const int Clips = 300;
        var removed = new List<string>();
        using var assembling = new CancellationTokenSource();
        var sweeping = Task.Run(() =>
        {
            // Bounded by the assembler's clip count: it cancels when its last clip is done.
            while (!assembling.IsCancellationRequested)
            {
                removed.AddRange(storage.RemoveAbandoned(TimeSpan.FromHours(24)));
            }
        }, TestContext.Current.CancellationToken);

        var completed = new List<string>();
        var data = RandomNumberGenerator.GetBytes(64);
        for (var i = 0; i < Clips; i++)
        {
            var clipId = $"clip{i:D3}";
            var manifest = new ClipManifest(clipId, "f1", "d1", clipId + ".mcap", data.Length, Convert.ToHexStringLower(SHA256.HashData(data)),
                64, 1, 0, ["t"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1, null);
            storage.WriteManifest(manifest);
            storage.WriteChunk("f1", "d1", clipId, 0, 1, 64, data);
            var clipDir = Path.Combine(storage.PartialRoot, "f1", "d1", clipId);
            foreach (var file in Directory.EnumerateFiles(clipDir))
            {
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-2));
            }

            if (storage.TryComplete("f1", "d1", clipId) is { Ack.Status: ClipAckStatus.Complete })
            {
                completed.Add(clipId);
            }
        }

        await assembling.CancelAsync();
        await sweeping;
        removed.AddRange(storage.RemoveAbandoned(TimeSpan.FromHours(24)));

        var removedIds = removed.Select(Path.GetFileName).ToList();
        Assert.Empty(completed.Intersect(removedIds));
        Assert.Equal(Clips, completed.Count + removedIds.Count);
        Assert.Equal(completed.Order(), ReceivedClipIndex.ReadAll(_dir.Path).Select(r => r.ClipId).Order());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(storage.PartialRoot, "f1", "d1")));
    }

    public void Dispose() => _dir.Dispose();
}
