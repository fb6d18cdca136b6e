using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet;

namespace DataCentric.Edge.TestKit.Broker;

/// <summary>mosquitto with TLS, client certificates as identities, and the shipped ACL.</summary>
public sealed class SecureBroker : IAsyncDisposable
{
    private SecureBroker(TempDirectory dir, TestPki pki, MosquittoBroker broker)
    {
        Dir = dir;
        Pki = pki;
        Broker = broker;
        Endpoint = new BrokerEndpoint("127.0.0.1", broker.Port);
    }

    public TempDirectory Dir { get; }

    public TestPki Pki { get; }

    public MosquittoBroker Broker { get; }

    public BrokerEndpoint Endpoint { get; }

    public static async Task<SecureBroker> StartAsync(MosquittoOptions? extra = null, CancellationToken cancellationToken = default)
    {
        var dir = new TempDirectory("dce-secure");
        var pki = new TestPki(dir.Combine("pki"));
        var options = (extra ?? new MosquittoOptions()) with { Tls = pki, AclFile = RepositoryFiles.Path("firmware-config", "broker", "acl") };
        var broker = await MosquittoBroker.StartAsync(options, cancellationToken).ConfigureAwait(false);
        return new SecureBroker(dir, pki, broker);
    }

    /// <summary>Uplink options that connect as <paramref name="identity"/> (its certificate's CN).</summary>
    public UplinkOptions OptionsFor(string identity, int chunkBytes = 64 * 1024)
    {
        var (certificate, key) = Pki.IssueClient(identity);
        return new UplinkOptions
        {
            Host = "127.0.0.1",
            Port = Broker.Port,
            UseTls = true,
            CaCertificatePath = Pki.CaCertificatePath,
            ClientCertificatePath = certificate,
            ClientKeyPath = key,
            ChunkBytes = chunkBytes,
        };
    }

    /// <summary>A plain MQTT 5 client connected as <paramref name="identity"/>.</summary>
    /// <exception cref="InvalidOperationException">The broker refused the connection.</exception>
    public async Task<IMqttClient> ConnectAsync(string identity, CancellationToken cancellationToken = default)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = MqttClientOptionsFactory.Create(OptionsFor(identity), Endpoint, $"{identity}-{Guid.NewGuid():N}").Build();
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
