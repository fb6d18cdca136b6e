using System.CommandLine;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>A connected <see cref="FleetClient"/> for one command run, with the resolved options.</summary>
internal sealed class FleetSession : IAsyncDisposable
{
    private FleetSession(FleetClient client, BrokerConnection connection, ParseResult parse)
    {
        Client = client;
        Fleet = parse.GetValue(connection.Fleet)!;
        Timeout = parse.GetValue(connection.Timeout);
        (Options, Endpoint) = connection.Resolve(parse);
    }

    public FleetClient Client { get; }

    public string Fleet { get; }

    public TimeSpan Timeout { get; }

    public Uplink.Broker.UplinkOptions Options { get; }

    public BrokerEndpoint Endpoint { get; }

    public static async Task<FleetSession> OpenAsync(BrokerConnection connection, ParseResult parse, CancellationToken cancellationToken)
    {
        var (options, endpoint) = connection.Resolve(parse);
        var client = new FleetClient(options, endpoint);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new FleetSession(client, connection, parse);
    }

    /// <summary>Sends a command; a refusal by the device becomes a failure with its reason.</summary>
    public async Task<CommandReply> AskAsync(string device, CommandRequest request, CancellationToken cancellationToken)
    {
        var reply = await Client.SendAsync(Fleet, device, request, Timeout, cancellationToken).ConfigureAwait(false);
        return reply.Ok ? reply : throw new InvalidOperationException($"{Fleet}/{device} refused '{request.Command}': {reply.Error}");
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
