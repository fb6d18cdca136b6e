using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>
/// A clip's frames live in rented slabs (ClipContent.FrameMemory): the storage worker gives them
/// back once the clip is written, never before, and also when the clip cannot be stored.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClipFrameMemoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AStoredClipsFrameMemory_IsDisposedOnce_AfterItsFileIsCatalogued()
    {
        await using var agent = new DemoAgent();
        var catalog = agent.Host.Services.GetRequiredService<IClipCatalog>();
        await agent.Host.StartAsync(Ct);

        var clip = TestClips.Clip(Guid.CreateVersion7().ToString("N"), frames: 5, frameBytes: 2_000);
        var probe = new FrameMemoryProbe(() => catalog.FindClip(clip.ClipId));
        await Clips(agent).WriteAsync(clip with { FrameMemory = probe }, Ct);

        var stored = await probe.Disposed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.NotNull(stored);
        Assert.Equal(ClipFileState.Stored, stored.FileState);
        Assert.Equal(5, stored.FrameCount);
        Assert.Equal(1, probe.Disposals);
    }

    [Fact]
    public async Task AClipTheWriterRefuses_IsAbandoned_AndItsFrameMemoryStillGoesBack()
    {
        await using var agent = new DemoAgent();
        var catalog = agent.Host.Services.GetRequiredService<IClipCatalog>();
        await agent.Host.StartAsync(Ct);

        // One signal name with two kinds of sample: MCAP gives a channel one schema, so the writer refuses it.
        var good = TestClips.Clip(Guid.CreateVersion7().ToString("N"), frames: 3, frameBytes: 500);
        var refused = good with
        {
            Signals =
            [
                new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromNumber(0.9), TimeSpan.Zero)),
                new SignalUpdate(new SignalId(0), "shadow.obstacle", new SignalSample(SignalValue.FromDetections([]), TimeSpan.FromMilliseconds(100))),
            ],
        };
        var probe = new FrameMemoryProbe(() => catalog.FindClip(refused.ClipId));
        var failuresBefore = agent.Metrics.ClipFailures;
        await Clips(agent).WriteAsync(refused with { FrameMemory = probe }, Ct);

        Assert.Null(await probe.Disposed.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(1, probe.Disposals);
        Assert.Equal(failuresBefore + 1, agent.Metrics.ClipFailures);
    }

    private static System.Threading.Channels.ChannelWriter<ClipContent> Clips(DemoAgent agent) =>
        agent.Host.Services.GetRequiredService<PipelineChannels>().Clips.Writer;

    /// <summary>Records what the catalog held for the clip at the moment its frame memory was disposed.</summary>
    private sealed class FrameMemoryProbe(Func<StoredClip?> lookUp) : IDisposable
    {
        private readonly TaskCompletionSource<StoredClip?> _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _disposals;

        public Task<StoredClip?> Disposed => _disposed.Task;

        public int Disposals => Volatile.Read(ref _disposals);

        public void Dispose()
        {
            if (Interlocked.Increment(ref _disposals) == 1)
            {
                _disposed.SetResult(lookUp());
            }
        }
    }
}
