using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DataCentric.Edge.TestKit.Network;

/// <summary>
/// A loopback TCP proxy between a client (the agent) and a server (the broker) that injects network
/// faults on command: one-way latency, a bandwidth cap, a reset of every connection (RST both
/// ways), and a freeze (half-open: nothing forwarded either way and nothing closed, as when the
/// broker's process hangs or a NAT drops the flow silently). tc netem, iptables and toxiproxy are
/// not available on the test machines (STACK-NOTES), so the faults are made here, in user space.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<FaultProxyConnection, byte> _connections = new();
    private readonly Task _accepting;
    private TaskCompletionSource _thawed = Thawed();
    private long _latencyTicks;
    private long _bytesPerSecond;
    private int _accepted;

    /// <param name="targetPort">The server's port on 127.0.0.1.</param>
    public FaultProxy(int targetPort)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetPort);
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptLoopAsync(_stop.Token);
    }

    /// <summary>Raised with the running count each time a client connects (e.g. the agent reconnecting).</summary>
    public event Action<int>? Accepted;

    /// <summary>The port clients connect to, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    /// <summary>Added to every byte's trip, in each direction (so the round trip grows by twice this).</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>Bytes per second forwarded in each direction of each connection; 0 for no cap.</summary>
    public long BytesPerSecond
    {
        get => Interlocked.Read(ref _bytesPerSecond);
        set => Interlocked.Exchange(ref _bytesPerSecond, value);
    }

    public bool IsFrozen => !Volatile.Read(ref _thawed).Task.IsCompleted;

    /// <summary>Stops forwarding both ways on every connection, new ones included; closes nothing.</summary>
    public void Freeze()
    {
        if (!IsFrozen)
        {
            Volatile.Write(ref _thawed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>Forwards again; what the peers sent meanwhile flows on (as when a hung process resumes).</summary>
    public void Thaw() => Volatile.Read(ref _thawed).TrySetResult();

    /// <summary>Aborts every open connection with a TCP reset to both peers; returns how many.</summary>
    public int ResetAll()
    {
        var count = 0;
        foreach (var connection in _connections.Keys)
        {
            connection.Reset();
            count++;
        }

        return count;
    }

    /// <summary>No latency, no cap, not frozen.</summary>
    public void Clear()
    {
        Latency = TimeSpan.Zero;
        BytesPerSecond = 0;
        Thaw();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Thaw();
        ResetAll();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    internal Task WhenThawedAsync(CancellationToken cancellationToken) => Volatile.Read(ref _thawed).Task.WaitAsync(cancellationToken);

    private static TaskCompletionSource Thawed()
    {
        var thawed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        thawed.SetResult();
        return thawed;
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                client.NoDelay = true;
                try
                {
                    await server.ConnectAsync(_target, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // The server is down: the client sees its connection refused the only way left, a reset.
                    client.LingerState = new LingerOption(true, 0);
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                var connection = new FaultProxyConnection(this, client, server);
                _connections.TryAdd(connection, 0);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAsync(connection, cancellationToken));
                var accepted = Interlocked.Increment(ref _accepted);
                Accepted?.Invoke(accepted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(FaultProxyConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }
}
