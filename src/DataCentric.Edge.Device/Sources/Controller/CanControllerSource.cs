using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// The controller's decisions from CAN frames, decoded with the configured signal map. Reads on a
/// dedicated thread because SocketCAN reads block; cancelling closes the socket to unblock it.
/// Nothing is ever sent on the bus.
/// </summary>
public sealed class CanControllerSource(string name, Func<ICanFrameReader> openReader, CanSignalDecoder decoder, MonotonicClock clock) : ISignalSource
{
    public string Name { get; } = name;

    public CanSignalDecoder Decoder => decoder;

    public void Register(SignalBus bus) => decoder.Register(bus);

    public Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(openReader);
        Register(bus);
        return Task.Factory.StartNew(() => ReadLoop(bus, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void ReadLoop(SignalBus bus, CancellationToken cancellationToken)
    {
        var reader = openReader();
        using var closeOnCancel = cancellationToken.Register(reader.Dispose);
        using (reader)
        {
            Span<byte> data = stackalloc byte[8];
            while (!cancellationToken.IsCancellationRequested && TryRead(reader, data, out var header, cancellationToken))
            {
                if (header.Error || header.Remote)
                {
                    decoder.BadInput.Report(header.Error ? "error-frame" : "remote-frame", $"frame 0x{header.Id:X} is an {(header.Error ? "error" : "RTR")} frame, not data");
                    continue;
                }

                decoder.Decode(bus, header.Id, data[..header.Length], clock.Now);
            }

            if (reader is CapturedCanFrameReader { TrailingBytes: > 0 } captured)
            {
                decoder.BadInput.Report("truncated-capture", $"the capture ends with {captured.TrailingBytes} bytes of a partial frame");
            }
        }
    }

    private static bool TryRead(ICanFrameReader reader, Span<byte> data, out CanFrameHeader header, CancellationToken cancellationToken)
    {
        try
        {
            return reader.TryRead(data, out header);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is ObjectDisposedException or IOException or System.Net.Sockets.SocketException)
        {
            // The socket was closed to stop the read.
            header = default;
            return false;
        }
    }
}
