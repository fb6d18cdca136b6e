using System.Threading.Channels;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// Writes exported images on a few threads of their own. Each image is its own file, and creating a
/// file (open, lock, write, close) is kernel work that does not depend on the next one, so while one
/// thread waits in the kernel another can create the next file and the label writer carries on.
/// The queue is bounded: the frames waiting hold their clip's bytes, so memory stays that of a few clips.
/// </summary>
internal sealed class ImageWriterPool : IAsyncDisposable
{
    /// <summary>Frames queued ahead of the writers: enough to keep them busy across a clip boundary.</summary>
    private const int QueuedImages = 64;

    private readonly Channel<(string Path, ReadOnlyMemory<byte> Bytes)> _queue;
    private readonly Task[] _writers;
    private volatile bool _failed;

    public ImageWriterPool(int writers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _queue = Channel.CreateBounded<(string, ReadOnlyMemory<byte>)>(new BoundedChannelOptions(QueuedImages)
        {
            SingleWriter = true,
            SingleReader = writers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writers = new Task[writers];
        for (var i = 0; i < writers; i++)
        {
            _writers[i] = Task.Run(WriteQueuedAsync, CancellationToken.None);
        }
    }

    /// <summary>Writers for this machine: one per core beyond the reader's, at least two (one is in the kernel at any time), at most four.</summary>
    public static int DefaultWriters => Math.Clamp(Environment.ProcessorCount - 1, 2, 4);

    /// <summary>Queues one image; waits while the queue is full.</summary>
    /// <exception cref="IOException">A writer failed (the first failure; the other writers stop too).</exception>
    public async ValueTask WriteAsync(string path, ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync((path, image), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // A writer closed the queue with its error: that error, not the closed queue, is the news.
            await CompleteAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until every queued image is written; throws the first writer's error.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out _))
        {
            // Drop what was not written: the caller is abandoning the folder.
        }

        await Task.WhenAll(_writers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WriteQueuedAsync()
    {
        try
        {
            // Awaits only when the queue is empty; otherwise one blocking write after another.
            while (!_failed && await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (!_failed && _queue.Reader.TryRead(out var item))
                {
                    ImageFiles.Write(item.Path, item.Bytes.Span);
                }
            }
        }
        catch (Exception e)
        {
            _failed = true;
            _queue.Writer.TryComplete(e);
            throw;
        }
    }
}
