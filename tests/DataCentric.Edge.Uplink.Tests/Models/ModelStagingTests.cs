using System.Buffers;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.Uplink.Models;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>The staging file on a real disk: what survives a restart, a torn record, and chunks that cannot be the signed file's.</summary>
public sealed class ModelStagingTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-staging");
    private readonly byte[] _model = File.ReadAllBytes(ModelTransferRig.ResNet18)[..(3 * ModelTopics.ChunkBytes + 1000)];

    [Fact]
    public void ChunksRecordedBeforeARestart_AreHeldAfterIt_AndATornLastRecordIsAskedForAgain()
    {
        var release = Release();
        using (var staging = ModelStaging.Open(_dir.Path, release))
        {
            Assert.Null(staging.Write(0, Chunk(0), "t/0"));
            Assert.Null(staging.Write(2, Chunk(2), "t/2"));
        }

        // A power loss while the record of a third chunk was being written: its line has no newline.
        File.AppendAllText(Path.Combine(_dir.Path, ModelStaging.StagingFolder, release.Sha256, "chunks.done"), "3");

        using var resumed = ModelStaging.Open(_dir.Path, release);
        Assert.Equal([1, 3], resumed.Missing());
        Assert.Equal(2L * ModelTopics.ChunkBytes, resumed.BytesReceived);
        Assert.Null(resumed.Write(1, Chunk(1), "t/1"));
        Assert.Null(resumed.Write(3, Chunk(3), "t/3"));
        Assert.True(resumed.IsComplete);
        resumed.Dispose();
        Assert.Equal(_model, File.ReadAllBytes(resumed.PartPath));
    }

    [Fact]
    public void ChunkOfTheWrongLength_IsNotWritten_AndTheReasonSaysWhichAndWhy()
    {
        using var staging = ModelStaging.Open(_dir.Path, Release());

        var shortLast = staging.Write(3, new ReadOnlySequence<byte>(_model.AsMemory(3 * ModelTopics.ChunkBytes, 999)), "dce/v1/f/_models/x/chunk/3");
        var pastEnd = staging.Write(4, Chunk(0), "dce/v1/f/_models/x/chunk/4");

        Assert.Equal("dce/v1/f/_models/x/chunk/3: chunk 3 is 999 bytes, 1000 expected for 394216 signed bytes in 131072-byte chunks (the file on the broker is truncated)", shortLast);
        Assert.Equal("dce/v1/f/_models/x/chunk/4: chunk 4 is past the file's last chunk 3 (394216 bytes signed)", pastEnd);
        Assert.Equal([0, 1, 2, 3], staging.Missing());
    }

    [Fact]
    public void RemoveStale_KeepsOnlyTheFoldersOfReleasesStillWanted()
    {
        var kept = Release();
        ModelStaging.Open(_dir.Path, kept).Dispose();
        ModelStaging.Open(_dir.Path, kept with { Sha256 = new string('a', 64) }).Dispose();

        var removed = ModelStaging.RemoveStale(_dir.Path, new HashSet<string> { kept.Sha256 });

        Assert.Equal(new string('a', 64), Path.GetFileName(Assert.Single(removed)));
        Assert.Equal(kept.Sha256, Path.GetFileName(Assert.Single(Directory.GetDirectories(Path.Combine(_dir.Path, ModelStaging.StagingFolder)))));
    }

    public void Dispose() => _dir.Dispose();

    private ReadOnlySequence<byte> Chunk(int index) =>
        new(_model.AsMemory(index * ModelTopics.ChunkBytes, ModelTopics.ChunkLength(_model.Length, index)));

    private ModelReleasePayload Release() =>
        new(FleetTopics.Root, "f", new TriggerSetTarget(TargetScope.Fleet, null), "m", 1, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_model)), _model.Length,
            new ModelIo([], []), DateTimeOffset.UnixEpoch);
}
