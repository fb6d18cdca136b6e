using System.Net;
using System.Net.Sockets;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// Listens for the controller's decisions as UDP datagrams (JSON or binary). Receive only: the
/// socket never sends. The OS socket buffer is the bound; datagrams beyond it are dropped by the kernel.
/// </summary>
public sealed class UdpControllerSource(ControllerFeedOptions options, ControllerDecisionPublisher publisher, MonotonicClock clock) : ISignalSource
{
    private readonly TaskCompletionSource<IPEndPoint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => $"udp-controller:{options.UdpBindAddress}:{options.UdpPort}";

    /// <summary>Completes with the local end point once listening (the port, when configured as 0).</summary>
    public Task<IPEndPoint> Bound => _bound.Task;

    public void Register(SignalBus bus) => publisher.Register(bus);

    public async Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        Register(bus);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(options.UdpBindAddress), options.UdpPort));
        }
        catch (SocketException e)
        {
            _bound.TrySetException(e);
            throw;
        }

        _bound.TrySetResult((IPEndPoint)socket.LocalEndPoint!);

        // One byte more than allowed, so an oversized datagram is seen as such rather than cut.
        var buffer = new byte[options.MaxMessageBytes + 1];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.ConnectionReset)
            {
                publisher.BadInput.Report("socket-error", e.Message);
                continue;
            }

            publisher.Accept(bus, buffer.AsSpan(0, result.ReceivedBytes), clock.Now);
        }
    }
}
