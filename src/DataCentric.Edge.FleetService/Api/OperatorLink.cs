using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.Uplink.Broker;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// dce-fleet's operator session (the <c>dce-operator</c> identity on the broker's tools listener):
/// one <see cref="FleetClient"/>, connected on first use and made anew when it dropped, so the
/// service starts and answers without the broker.
/// </summary>
internal sealed class OperatorLink(IOptions<OperatorOptions> options, ILogger<OperatorLink> logger) : IAsyncDisposable
{
    /// <summary>Why operator actions are off; names the section to add.</summary>
    public const string NotConfiguredReason =
        "the operator link is not configured: add the Operator section with Operator:Broker (the broker's tools listener and the dce-operator certificate)";

    private readonly OperatorOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile FleetClient? _client;
    private bool _disposed;

    public bool IsConfigured => _options.Broker is not null;

    public OperatorOptions Options => _options;

    public string Endpoint => _options.Broker is { } b ? $"{b.Host}:{b.Port}" : "(none)";

    /// <summary>The connected session; connects (again) when needed.</summary>
    /// <exception cref="InvalidOperationException">The link is not configured.</exception>
    /// <exception cref="MQTTnet.Exceptions.MqttCommunicationException">The broker could not be reached or refused the session.</exception>
    public async Task<FleetClient> GetClientAsync(CancellationToken cancellationToken)
    {
        var broker = _options.Broker ?? throw new InvalidOperationException(NotConfiguredReason);
        if (_client is { IsConnected: true } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is { IsConnected: true } current)
            {
                return current;
            }

            if (_client is { } dropped)
            {
                _client = null;
                await dropped.DisposeAsync().ConfigureAwait(false);
            }

            var client = new FleetClient(broker, new BrokerEndpoint(broker.Host, broker.Port), _options.ClientId);
            try
            {
                // Bounded by broker.ConnectTimeout: a hung broker fails the request instead of holding it.
                await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception e)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                OperatorLog.ConnectFailed(logger, Endpoint, e);
                throw e as MQTTnet.Exceptions.MqttCommunicationException
                    ?? new MQTTnet.Exceptions.MqttCommunicationException($"the broker at {Endpoint} could not be reached: {e.Message}", e);
            }

            OperatorLog.Connected(logger, Endpoint, _options.ClientId);
            _client = client;
            return client;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_client is { } client)
            {
                _client = null;
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }

        _gate.Dispose();
    }
}
