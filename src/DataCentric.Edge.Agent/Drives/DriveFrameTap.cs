using System.Threading.Channels;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Agent.Drives;

/// <summary>
/// The camera's frames for a drive recording that keeps them. Closed (the frame source's offer is a
/// null check) unless a recording is running; never makes the camera wait: when the drive writer is
/// behind, the oldest frame is dropped and counted.
/// </summary>
public sealed class DriveFrameTap
{
    private volatile Channel<Frame>? _channel;
    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Offer(Frame frame) => _channel?.Writer.TryWrite(frame);

    public ChannelReader<Frame> Open(int capacity)
    {
        Interlocked.Exchange(ref _dropped, 0);
        var channel = Channel.CreateBounded<Frame>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _channel = channel;
        return channel.Reader;
    }

    public void Close() => _channel = null;
}
