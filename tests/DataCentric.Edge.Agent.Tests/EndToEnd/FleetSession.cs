using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Client;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>
/// The fleet side of one device, as edgectl talks to it: commands, retained status, and signed
/// trigger sets. Shared by the in-process end-to-end tests and the tests of the installed agent.
/// </summary>
internal sealed class FleetSession : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly FleetClient _client;

    private FleetSession(FleetClient client, FleetTopics topics)
    {
        _client = client;
        Topics = topics;
    }

    public FleetTopics Topics { get; }

    public FleetClient Client => _client;

    /// <summary>Connects and waits for the device's retained "online": only then do its subscriptions take requests.</summary>
    public static async Task<FleetSession> OpenAsync(BrokerEndpoint endpoint, FleetTopics topics, CancellationToken cancellationToken)
    {
        var client = new FleetClient(new UplinkOptions(), endpoint);
        var session = new FleetSession(client, topics);
        try
        {
            await client.ConnectAsync(cancellationToken);
            await session.WaitForAsync<DeviceStatus>(topics.Status, s => s.State == "online", cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a command, asserts the device said ok, and reads its result.</summary>
    public async Task<T> SendOkAsync<T>(CommandRequest request, CancellationToken cancellationToken)
    {
        var reply = await _client.SendAsync(Topics.Fleet, Topics.Device, request, Timeout, cancellationToken);
        Assert.True(reply.Ok, $"{request.Command}: {reply.Error}");
        return reply.Result!.Value.Deserialize(UplinkJson.TypeInfo<T>())!;
    }

    public Task<PingResult> PingAsync(CancellationToken cancellationToken) => SendOkAsync<PingResult>(new CommandRequest(CommandNames.Ping), cancellationToken);

    /// <summary>Publishes a one-trigger set signed by <paramref name="key"/> as the device's retained set.</summary>
    public Task PublishSignedSetAsync(int version, ECDsa key, CancellationToken cancellationToken) =>
        _client.PublishRetainedAsync(Topics.DeviceTriggerSet, SignedSet(version, key), cancellationToken);

    /// <summary>The first message on <paramref name="topic"/> (retained ones included) that parses and matches.</summary>
    public async Task<T> WaitForAsync<T>(string topic, Func<T, bool> match, CancellationToken cancellationToken)
        where T : class
    {
        var found = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = await _client.WatchAsync(
            topic,
            message =>
            {
                if (UplinkJson.Deserialize<T>(message.Payload) is { } value && match(value))
                {
                    found.TrySetResult(value);
                }
            },
            cancellationToken);
        return await found.Task.WaitAsync(Timeout, cancellationToken);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private byte[] SignedSet(int version, ECDsa key)
    {
        var source = $$"""
            schemaVersion: 1
            version: {{version}}
            triggers:
              - id: missed-obstacle-v{{version}}
                when: held(shadow.obstacle > 0.6 and not primary.brake, 300ms)
                pre: 2s
                post: 1s
                cooldown: 3s
            """;
        var payload = new TriggerSetPayload(
            FleetTopics.Root, Topics.Fleet, new TriggerSetTarget(TargetScope.Device, Topics.Device), version, TriggerSetFormat.Yaml, source, DateTimeOffset.UtcNow);
        return TriggerSetSigner.Serialize(TriggerSetSigner.Sign(payload, key));
    }
}
