using System.Net;
using System.Net.Sockets;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet;
using MQTTnet.Exceptions;

namespace DataCentric.Edge.Uplink.Tests.Broker;

/// <summary>
/// The shared connect against a listener that accepts TCP and never answers: the CONNACK MQTTnet
/// waits for never comes, so what the helper adds (a deadline, and "try again" for a connect made
/// while another is pending) is seen without any race.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MqttConnectTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_WhileAnotherConnectIsPending_IsACommunicationError_NotAnInvalidOperation()
    {
        using var silent = new SilentListener();
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = OptionsFor(silent.Port);
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var first = MqttConnect.WithDeadlineAsync(client, options, TimeSpan.FromMinutes(10), stopFirst.Token);
        await silent.Accepted.WaitAsync(Waits.Timeout, Token);

        // What edgectl receive died of: MQTTnet refuses a connect while the last one is still open.
        var error = await Assert.ThrowsAsync<MqttCommunicationException>(
            () => MqttConnect.WithDeadlineAsync(client, options, TimeSpan.FromMinutes(10), Token).WaitAsync(Waits.Timeout, Token));

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("still closing", error.Message, StringComparison.Ordinal);
        Assert.False(first.IsCompleted, "the first connect was still waiting for its CONNACK");
        await stopFirst.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Waits.Timeout, Token));
    }

    [Fact]
    public async Task Connect_ToABrokerThatNeverAnswers_TimesOutAtTheDeadline()
    {
        using var silent = new SilentListener();
        using var client = new MqttClientFactory().CreateMqttClient();

        // Bounded by the test's own wait: without the deadline MQTTnet waits for the CONNACK for ever.
        var attempt = MqttConnect.WithDeadlineAsync(client, OptionsFor(silent.Port), TimeSpan.FromMilliseconds(500), Token);
        var error = await Assert.ThrowsAsync<MqttCommunicationTimedOutException>(() => attempt.WaitAsync(Waits.Timeout, Token));

        Assert.Contains("did not accept the connection within 0.5 s", Assert.IsType<TimeoutException>(error.InnerException).Message, StringComparison.Ordinal);
        Assert.True(silent.AcceptedCount >= 1, "the TCP connection was made; only the CONNACK was missing");
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Connect_CancelledByTheCaller_IsACancellation_NotATimeout()
    {
        using var silent = new SilentListener();
        using var client = new MqttClientFactory().CreateMqttClient();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var attempt = MqttConnect.WithDeadlineAsync(client, OptionsFor(silent.Port), TimeSpan.FromMinutes(10), stop.Token);
        await silent.Accepted.WaitAsync(Waits.Timeout, Token);

        await stop.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => attempt.WaitAsync(Waits.Timeout, Token));
        Assert.IsNotType<MqttCommunicationTimedOutException>(error);
    }

    [Fact]
    public async Task Connect_WithADisposedClient_IsNotTurnedIntoTryAgain()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.Dispose();

        // A loop that took this for "try again" would spin on a dead client for ever.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => MqttConnect.WithDeadlineAsync(client, OptionsFor(1883), TimeSpan.FromSeconds(1), Token));
    }

    private static MqttClientOptions OptionsFor(int port) =>
        MqttClientOptionsFactory.Create(new UplinkOptions(), new BrokerEndpoint("127.0.0.1", port), "connect-test").Build();

    /// <summary>Accepts TCP connections and holds them open without reading or writing: a hung broker.</summary>
    private sealed class SilentListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];
        private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = new();

        public SilentListener()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync();
        }

        public int Port { get; }

        /// <summary>Completes when the first client's TCP connection is accepted.</summary>
        public Task Accepted => _accepted.Task;

        public int AcceptedCount
        {
            get
            {
                lock (_held)
                {
                    return _held.Count;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(s => s.Dispose());
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_held)
                    {
                        _held.Add(socket);
                    }

                    _accepted.TrySetResult();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopped.
            }
        }
    }
}
