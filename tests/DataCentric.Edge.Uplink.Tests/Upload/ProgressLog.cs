using System.Collections.Concurrent;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Tests.Upload;

/// <summary>Every catalog write of upload progress an uploader makes, and a way to await one.</summary>
internal sealed class ProgressLog
{
    private readonly ConcurrentQueue<(string ClipId, int Chunks)> _writes = new();
    private readonly SemaphoreSlim _written = new(0);

    public ProgressLog(MqttClipUploader uploader)
    {
        uploader.ProgressSaved += (clipId, chunks) =>
        {
            _writes.Enqueue((clipId, chunks));
            _written.Release();
        };
    }

    public IReadOnlyList<int> Writes(string clipId) => [.. _writes.Where(w => w.ClipId == clipId).Select(w => w.Chunks)];

    /// <summary>Returns once a write recorded at least <paramref name="chunks"/> chunks for the clip.</summary>
    public async Task WaitForAsync(string clipId, int chunks)
    {
        while (!Writes(clipId).Any(c => c >= chunks))
        {
            Assert.True(
                await _written.WaitAsync(Waits.Timeout, TestContext.Current.CancellationToken),
                $"no progress write reached {chunks} chunks; writes: {string.Join(", ", Writes(clipId))}");
        }
    }
}
