using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace DataCentric.Edge.TestKit.Network;

/// <summary>
/// One proxied connection: two pumps (client to server, server to client). Each pump is a reader
/// and a writer joined by a bounded channel, so latency delays every segment by the same amount
/// without capping throughput at one buffer per latency period.
/// </summary>
internal sealed class FaultProxyConnection
{
    private const int SegmentBytes = 16 * 1024;

    /// <summary>Bounds what a pump holds (256 × 16 KiB): a slow writer stops the reader, and TCP pushes back on the sender.</summary>
    private const int SegmentsInFlight = 256;

    private readonly FaultProxy _proxy;
    private readonly Socket _client;
    private readonly Socket _server;
    private int _closed;

    public FaultProxyConnection(FaultProxy proxy, Socket client, Socket server)
    {
        _proxy = proxy;
        _client = client;
        _server = server;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var up = PumpAsync(_client, _server, cancellationToken);
        var down = PumpAsync(_server, _client, cancellationToken);
        try
        {
            // A pump that failed (a peer reset, the proxy stopped) takes the whole connection down,
            // or the other pump would wait on its peer for ever.
            if (await Task.WhenAny(up, down).ConfigureAwait(false) is { IsCompletedSuccessfully: false })
            {
                Close(reset: false);
            }

            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or ChannelClosedException)
        {
            // Expected ways for a connection to end.
        }
        finally
        {
            Close(reset: false);
        }
    }

    /// <summary>Linger 0 makes Close send RST rather than FIN, to both peers.</summary>
    public void Reset() => Close(reset: true);

    private void Close(bool reset)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        foreach (var socket in new[] { _client, _server })
        {
            try
            {
                if (reset)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                socket.Close();
            }
            catch (ObjectDisposedException)
            {
                // Already gone.
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var segments = Channel.CreateBounded<(byte[] Data, int Count, long DueTimestamp)>(
            new BoundedChannelOptions(SegmentsInFlight) { SingleReader = true, SingleWriter = true });
        var writing = WriteAsync(segments.Reader, to, cancellationToken);
        _ = writing.ContinueWith(
            failed =>
            {
                // The receiving peer is gone: release a reader waiting for room, and close both sides.
                segments.Writer.TryComplete(failed.Exception);
                Close(reset: false);
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
        try
        {
            while (true)
            {
                // Frozen: read nothing, so the sender's bytes wait in the kernel as with a hung peer.
                await _proxy.WhenThawedAsync(cancellationToken).ConfigureAwait(false);
                var buffer = new byte[SegmentBytes];
                var count = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    break;
                }

                var due = Stopwatch.GetTimestamp() + (long)(_proxy.Latency.TotalSeconds * Stopwatch.Frequency);
                await segments.Writer.WriteAsync((buffer, count, due), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            segments.Writer.TryComplete();
        }

        await writing.ConfigureAwait(false);

        // Pass the sender's FIN on once everything before it is delivered.
        to.Shutdown(SocketShutdown.Send);
    }

    private async Task WriteAsync(ChannelReader<(byte[] Data, int Count, long DueTimestamp)> segments, Socket to, CancellationToken cancellationToken)
    {
        await foreach (var (data, count, due) in segments.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            for (var offset = 0; offset < count;)
            {
                await _proxy.WhenThawedAsync(cancellationToken).ConfigureAwait(false);
                var rate = _proxy.BytesPerSecond;

                // Under a cap, send in slices of 1/20 s so the rate holds without bursts.
                var slice = rate > 0 ? (int)Math.Clamp(rate / 20, 1, count - offset) : count - offset;
                offset += await to.SendAsync(data.AsMemory(offset, slice), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (rate > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)slice / rate), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
