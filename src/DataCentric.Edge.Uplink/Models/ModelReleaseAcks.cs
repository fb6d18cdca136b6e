using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// Publishes the device's retained <see cref="ModelReleaseAck"/> per model name. An ack made while
/// the device is offline (or whose publish failed) is kept, the latest per name, and published on
/// the next connect, so the fleet always ends up seeing where each release stands.
/// </summary>
public sealed class ModelReleaseAcks
{
    private readonly DeviceConnection _connection;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ModelReleaseAck> _unsent = new(StringComparer.Ordinal);

    // One flush at a time, so an older ack of a name can never land on the broker after a newer one.
    private readonly SemaphoreSlim _sending = new(1, 1);

    public ModelReleaseAcks(DeviceConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        connection.Connected += _ => FlushAsync(CancellationToken.None);
    }

    /// <summary>Raised with every ack as it is decided, sent or not (for logs and tests).</summary>
    public event Action<ModelReleaseAck>? Acked;

    /// <summary>Raised with an ack once the broker has it (the instance given to <see cref="PublishAsync"/>).</summary>
    public event Action<ModelReleaseAck>? Published;

    public async Task PublishAsync(ModelReleaseAck ack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ack);
        Acked?.Invoke(ack);
        lock (_lock)
        {
            _unsent[ack.Name] = ack;
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (_connection.IsConnected && Next() is { } ack)
            {
                await _connection.PublishJsonAsync(ModelTopics.Ack(ack.Fleet, ack.Device, ack.Name), ack, retain: true, cancellationToken).ConfigureAwait(false);
                Published?.Invoke(ack);
                lock (_lock)
                {
                    // A newer ack for the name may have been queued meanwhile: that one goes next.
                    if (_unsent.TryGetValue(ack.Name, out var queued) && ReferenceEquals(queued, ack))
                    {
                        _unsent.Remove(ack.Name);
                    }
                }
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or UploadRejectedException or ObjectDisposedException)
        {
            // Kept: sent on the next connect.
        }
        finally
        {
            _sending.Release();
        }
    }

    private ModelReleaseAck? Next()
    {
        lock (_lock)
        {
            return _unsent.Values.FirstOrDefault();
        }
    }
}
