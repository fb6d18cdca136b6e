using Iot.Device.SocketCan;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// Reads a SocketCAN interface through Iot.Device.Bindings' <see cref="CanRaw"/>. Only
/// <c>TryReadFrame</c> is called: <c>CanRaw.WriteFrame</c> is a banned API (BannedSymbols.txt).
/// </summary>
public sealed class SocketCanFrameReader(string interfaceName) : ICanFrameReader
{
    private readonly CanRaw _socket = Open(interfaceName);
    private volatile bool _disposed;

    public bool TryRead(Span<byte> data, out CanFrameHeader header)
    {
        while (!_disposed)
        {
            if (_socket.TryReadFrame(data, out var length, out var id))
            {
                header = new CanFrameHeader(id.Value, id.ExtendedFrameFormat, id.RemoteTransmissionRequest, id.Error, length);
                return true;
            }
        }

        header = default;
        return false;
    }

    /// <summary>Closing the socket is what unblocks a pending read on shutdown.</summary>
    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    private static CanRaw Open(string interfaceName)
    {
        try
        {
            return new CanRaw(interfaceName);
        }
        catch (Exception e) when (e is System.IO.IOException or System.Net.Sockets.SocketException or InvalidOperationException or ArgumentException)
        {
            throw new System.IO.IOException($"SocketCAN interface '{interfaceName}' cannot be opened: {e.Message}", e);
        }
    }
}
