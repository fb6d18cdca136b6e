using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet;

namespace DataCentric.Edge.TestKit.Broker;

/// <summary>
/// mosquitto with TLS, client certificates as identities, the shipped listeners' settings and the
/// shipped ACL: devices on <see cref="Endpoint"/>, the fleet tools' identities
/// (<see cref="ToolIdentities"/>, certificates of the tools CA) on <see cref="ToolsEndpoint"/>.
/// </summary>
public sealed class SecureBroker : IAsyncDisposable
{
    private SecureBroker(TempDirectory dir, TestPki pki, MosquittoBroker broker)
    {
        Dir = dir;
        Pki = pki;
        Broker = broker;
        Endpoint = new BrokerEndpoint("127.0.0.1", broker.Port);
        ToolsEndpoint = new BrokerEndpoint("127.0.0.1", broker.ToolsPort ?? throw new InvalidOperationException("A TLS broker has a tools listener"));
    }

    /// <summary>The identities the shipped ACL names for the fleet tools (firmware-config/broker/acl).</summary>
    public static IReadOnlySet<string> ToolIdentities { get; } = new HashSet<string>(StringComparer.Ordinal) { "dce-receiver", "dce-operator" };

    public TempDirectory Dir { get; }

    public TestPki Pki { get; }

    public MosquittoBroker Broker { get; }

    /// <summary>The device listener (the shipped 8883): the client id is the certificate's CN.</summary>
    public BrokerEndpoint Endpoint { get; }

    /// <summary>The fleet tools' listener (the shipped 8884): tools CA certificates only, any client id.</summary>
    public BrokerEndpoint ToolsEndpoint { get; }

    /// <summary>Where <paramref name="identity"/> connects: the tools listener for a tool, else the device listener.</summary>
    public BrokerEndpoint EndpointFor(string identity) => ToolIdentities.Contains(identity) ? ToolsEndpoint : Endpoint;

    public static async Task<SecureBroker> StartAsync(MosquittoOptions? extra = null, CancellationToken cancellationToken = default)
    {
        var dir = new TempDirectory("dce-secure");
        var pki = new TestPki(dir.Combine("pki"));
        var options = (extra ?? new MosquittoOptions()) with { Tls = pki, AclFile = extra?.AclFile ?? RepositoryFiles.Path("firmware-config", "broker", "acl") };
        var broker = await MosquittoBroker.StartAsync(options, cancellationToken).ConfigureAwait(false);
        return new SecureBroker(dir, pki, broker);
    }

    /// <summary>
    /// Uplink options that connect as <paramref name="identity"/> (its certificate's CN) to its
    /// listener (<see cref="EndpointFor"/>): a tool's certificate from the tools CA, a device's from the fleet CA.
    /// </summary>
    public UplinkOptions OptionsFor(string identity, int chunkBytes = 64 * 1024)
    {
        var tool = ToolIdentities.Contains(identity);
        var (certificate, key) = tool ? Pki.IssueTool(identity) : Pki.IssueClient(identity);
        return new UplinkOptions
        {
            Host = "127.0.0.1",
            Port = EndpointFor(identity).Port,
            UseTls = true,
            CaCertificatePath = Pki.CaCertificatePath,
            ClientCertificatePath = certificate,
            ClientKeyPath = key,
            ChunkBytes = chunkBytes,
        };
    }

    /// <summary>A plain MQTT 5 client connected as <paramref name="identity"/> to its listener, with a fresh client id.</summary>
    /// <exception cref="InvalidOperationException">The broker refused the connection.</exception>
    public Task<IMqttClient> ConnectAsync(string identity, CancellationToken cancellationToken = default) =>
        ConnectAsync(identity, $"{identity}-{Guid.NewGuid():N}", cancellationToken);

    /// <summary>A plain MQTT 5 client connected as <paramref name="identity"/> to its listener, asking for <paramref name="clientId"/>.</summary>
    /// <exception cref="InvalidOperationException">The broker refused the connection.</exception>
    public async Task<IMqttClient> ConnectAsync(string identity, string clientId, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = MqttClientOptionsFactory.Create(OptionsFor(identity), EndpointFor(identity), clientId).Build();
        var result = await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"The broker refused {identity}: {result.ResultCode} {result.ReasonString}");
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync().ConfigureAwait(false);
        Pki.Dispose();
        Dir.Dispose();
    }
}
