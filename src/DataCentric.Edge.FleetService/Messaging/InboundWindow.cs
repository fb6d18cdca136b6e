namespace DataCentric.Edge.FleetService.Messaging;

/// <summary>
/// The received-but-not-yet-handled messages one connection may hold: a slot is taken when a PUBLISH
/// arrives off the socket and given back when its handler is done. While no slot is free, MQTTnet's
/// receive loop waits, the socket stops being read, and TCP pushes back on the broker.
/// </summary>
/// <remarks>
/// This, not the MQTT 5 Receive Maximum, is what bounds memory: mosquitto 2.0.11 honours the receive
/// maximum only until acknowledgements start flowing (measured: 623 unacknowledged 128 KiB messages
/// sent to a client that asked for 32), and MQTTnet queues whatever arrives without limit.
/// One window per connection: messages still queued when a connection drops never reach the handler,
/// so their slots die with the window.
/// </remarks>
internal sealed class InboundWindow(int size) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(size);
    private readonly CancellationTokenSource _closed = new();

    /// <summary>Waits for a free slot; returns at once (without one) when the window is closed.</summary>
    public async Task EnterAsync()
    {
        try
        {
            await _slots.WaitAsync(_closed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connection is going: let its receive loop finish.
        }
        catch (ObjectDisposedException)
        {
            // Closed and disposed while waiting: same.
        }
    }

    public void Leave()
    {
        if (!_closed.IsCancellationRequested)
        {
            _slots.Release();
        }
    }

    /// <summary>Frees a receive loop waiting here: its connection is being replaced or dropped.</summary>
    public void Close() => _closed.Cancel();

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
        _slots.Dispose();
    }
}
