using DataCentric.Edge.Core.Configuration;
namespace DataCentric.Edge.Uplink.Broker;

/// <summary>
/// Where the broker is. Set from <see cref="UplinkOptions"/>, or by the embedded broker once it
/// knows its port; read by every client when it (re)connects.
/// </summary>
public sealed class BrokerEndpoint
{
    private volatile string _host;
    private volatile int _port;

    public BrokerEndpoint(string host, int port)
    {
        _host = host;
        _port = port;
    }

    public string Host => _host;

    public int Port => _port;

    public void Set(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        _host = host;
        _port = port;
    }

    public override string ToString() => $"{Host}:{Port}";
}
