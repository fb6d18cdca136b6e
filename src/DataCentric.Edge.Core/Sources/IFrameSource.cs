using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Core.Sources;

/// <summary>A camera, a video file or a synthetic scene: yields encoded frames stamped with monotonic time.</summary>
public interface IFrameSource
{
    /// <summary>Short name for logs and status, e.g. <c>synthetic</c> or <c>/dev/video0</c>.</summary>
    string Name { get; }

    IAsyncEnumerable<Frame> ReadFramesAsync(CancellationToken cancellationToken);
}
