using DataCentric.Edge.Cli.Commands.Prelabels;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Cli.Tests.Prelabels;

/// <summary>
/// The export's image writers: every queued image lands whole under its own name whatever thread
/// wrote it, and a writer's failure reaches the exporter as that failure (not a closed queue), so the
/// export stops and its temporary folder is removed.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ImageWriterPoolTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-image-writers");

    [Fact]
    public async Task QueuedImages_AreAllWrittenWithTheirBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        var images = Enumerable.Range(0, 500).Select(i => (Path: _dir.Combine($"{i}.jpg"), Bytes: Image(i))).ToList();

        await using (var pool = new ImageWriterPool(3))
        {
            foreach (var (path, bytes) in images)
            {
                await pool.WriteAsync(path, bytes, ct);
            }

            await pool.CompleteAsync();
        }

        foreach (var (path, bytes) in images)
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(path, ct));
        }
    }

    [Fact]
    public async Task AWritersFailure_SurfacesAsItself_AndStopsTheQueue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pool = new ImageWriterPool(2);
        await pool.WriteAsync(_dir.Combine("no-such-folder", "a.jpg"), Image(1), ct);

        // Keeps queueing until the failure comes back: from a later write or, at the latest, from the end.
        var failure = await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                await pool.WriteAsync(_dir.Combine($"{i}.jpg"), Image(i), ct);
            }

            await pool.CompleteAsync();
        });

        Assert.IsType<DirectoryNotFoundException>(failure);
        Assert.True(Directory.GetFiles(_dir.Path).Length < 10_000, "the writers went on after the failure");
    }

    [Fact]
    public async Task AnImageThatExists_IsNotOverwritten()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = _dir.Combine("taken.jpg");
        await File.WriteAllBytesAsync(path, [1, 2, 3], ct);
        await using var pool = new ImageWriterPool(1);

        await pool.WriteAsync(path, Image(7), ct);

        await Assert.ThrowsAsync<IOException>(pool.CompleteAsync);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(path, ct));
    }

    public void Dispose() => _dir.Dispose();

    private static byte[] Image(int seed) => [.. Enumerable.Range(0, 100 + (seed % 50)).Select(i => (byte)(i * 31 + seed))];
}
