using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Tests.Broker;

/// <summary>mosquitto with TLS, client certificates as identities, and the shipped ACL.</summary>
internal sealed class SecureBroker : IAsyncDisposable
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

    public static async Task<SecureBroker> StartAsync(MosquittoOptions? extra = null)
    {
        var dir = new TempDirectory("dce-secure");
        var pki = new TestPki(dir.Combine("pki"));
        var options = (extra ?? new MosquittoOptions()) with { Tls = pki, AclFile = RepositoryFiles.Path("firmware-config", "broker", "acl") };
        var broker = await MosquittoBroker.StartAsync(options, TestContext.Current.CancellationToken);
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
    public async Task<IMqttClient> ConnectAsync(string identity)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = MqttClientOptionsFactory.Create(OptionsFor(identity), Endpoint, $"{identity}-{Guid.NewGuid():N}").Build();
        var result = await client.ConnectAsync(options, TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        Pki.Dispose();
        Dir.Dispose();
    }
}
