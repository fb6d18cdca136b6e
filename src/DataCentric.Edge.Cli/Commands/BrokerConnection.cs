using System.CommandLine;
using System.Globalization;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>The options every command that talks to the broker shares: where it is, TLS files, the fleet.</summary>
internal sealed class BrokerConnection
{
    public Option<string> Broker { get; } = new("--broker")
    {
        Description = "Broker as host:port",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DCE_BROKER") ?? "127.0.0.1:1883",
    };

    public Option<string> Fleet { get; } = new("--fleet")
    {
        Description = "Fleet name (topic segment)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DCE_FLEET") ?? "demo",
    };

    public Option<FileInfo?> Ca { get; } = new("--ca") { Description = "PEM CA certificate of the broker (turns TLS on)" };

    public Option<FileInfo?> Cert { get; } = new("--cert") { Description = "PEM client certificate (CN = your broker identity)" };

    public Option<FileInfo?> Key { get; } = new("--key") { Description = "PEM key of the client certificate" };

    public Option<TimeSpan> Timeout { get; } = new("--timeout")
    {
        Description = "How long to wait for answers (e.g. 00:00:10)",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Broker);
        command.Options.Add(Fleet);
        command.Options.Add(Ca);
        command.Options.Add(Cert);
        command.Options.Add(Key);
        command.Options.Add(Timeout);
    }

    /// <exception cref="UsageException">The broker address is not host:port.</exception>
    public (UplinkOptions Options, BrokerEndpoint Endpoint) Resolve(ParseResult parse)
    {
        var broker = parse.GetValue(Broker)!;
        var colon = broker.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(broker.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--broker '{broker}' is not host:port");
        }

        var ca = parse.GetValue(Ca);
        var options = new UplinkOptions
        {
            Host = broker[..colon],
            Port = port,
            UseTls = ca is not null,
            CaCertificatePath = ca?.FullName,
            ClientCertificatePath = parse.GetValue(Cert)?.FullName,
            ClientKeyPath = parse.GetValue(Key)?.FullName,
            ConnectTimeout = parse.GetValue(Timeout),
        };
        foreach (var file in new[] { ca, parse.GetValue(Cert), parse.GetValue(Key) })
        {
            if (file is { Exists: false })
            {
                throw new UsageException($"{file.FullName} does not exist");
            }
        }

        return (options, new BrokerEndpoint(options.Host, options.Port));
    }
}
