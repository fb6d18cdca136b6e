using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataCentric.Edge.Core.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// N devices, each its own MQTTnet 5 client in this process, uploading clips as CONTRACT.md §Clips
/// says: the manifest at QoS 1, then the chunks at QoS 1 with their user properties, a window of
/// chunks in flight per device, one clip after the other. Each device listens on its own ack topic.
/// </summary>
internal sealed class SimulatedDevices : IAsyncDisposable
{
    private readonly List<IMqttClient> _clients;
    private readonly List<FleetTopics> _topics;
    private AckTracker? _tracker;

    private SimulatedDevices(List<IMqttClient> clients, List<FleetTopics> topics)
    {
        _clients = clients;
        _topics = topics;
    }

    public int Count => _clients.Count;

    public static async Task<SimulatedDevices> ConnectAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var factory = new MqttClientFactory();
        var clients = new List<IMqttClient>();
        var topics = new List<FleetTopics>();
        var devices = new SimulatedDevices(clients, topics);
        for (var i = 0; i < options.Devices; i++)
        {
            var client = factory.CreateMqttClient();
            var deviceTopics = new FleetTopics(ClipSet.Fleet, ClipSet.DeviceId(i));
            clients.Add(client);
            topics.Add(deviceTopics);
            client.ApplicationMessageReceivedAsync += e =>
            {
                devices._tracker?.OnAck(UplinkJson.Deserialize<ClipAck>(e.ApplicationMessage.Payload));
                return Task.CompletedTask;
            };
            var connect = new MqttClientOptionsBuilder()
                .WithTcpServer(options.BrokerHost, options.BrokerPort)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId("bench-" + deviceTopics.Device)
                .WithCleanStart(true)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
                .WithTimeout(TimeSpan.FromSeconds(30))
                .Build();
            // The 8 KiB default disables Linux's TCP auto-tuning: 1.9 vs 639 MiB/s (STACK-NOTES).
            ((MqttClientTcpOptions)connect.ChannelOptions).BufferSize = 1 << 20;
            await client.ConnectAsync(connect, cancellationToken).ConfigureAwait(false);
            await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder().WithTopicFilter(deviceTopics.ClipAcks, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                cancellationToken).ConfigureAwait(false);
        }

        return devices;
    }

    /// <summary>Acks from now on count towards <paramref name="tracker"/>.</summary>
    public void Track(AckTracker tracker) => _tracker = tracker;

    /// <summary>
    /// Every device sends its clips, in order; returns when the broker acknowledged every publish.
    /// Publishes the broker answered "no matching subscribers" (dropped) are counted in the result.
    /// </summary>
    public async Task<PublishSummary> UploadAsync(IReadOnlyList<BenchClip> clips, int chunkBytes, int inFlight, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var perDevice = clips.GroupBy(c => c.Device).Select(g => SendAsync(g.Key, [.. g], chunkBytes, inFlight, cancellationToken));
        var results = await Task.WhenAll(perDevice).ConfigureAwait(false);
        return new PublishSummary(results.Sum(r => r.Messages), results.Sum(r => r.NoSubscriber), Stopwatch.GetElapsedTime(start));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync().ConfigureAwait(false);
            }

            client.Dispose();
        }
    }

    private async Task<(int Messages, int NoSubscriber)> SendAsync(int device, List<BenchClip> clips, int chunkBytes, int inFlight, CancellationToken cancellationToken)
    {
        var client = _clients[device];
        var topics = _topics[device];
        int messages = 0, noSubscriber = 0;
        var window = new Queue<Task<MqttClientPublishResult>>();
        foreach (var clip in clips)
        {
            var manifest = new MqttApplicationMessageBuilder()
                .WithTopic(topics.ClipManifest(clip.ClipId))
                .WithPayload(clip.ManifestJson)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            Count(await client.PublishAsync(manifest, cancellationToken).ConfigureAwait(false));

            var chunkTopic = topics.ClipChunk(clip.ClipId);
            var chunkCount = clip.ChunkCount(chunkBytes);
            var countProperty = Ascii(chunkCount);
            var sizeProperty = Ascii(chunkBytes);
            for (var index = 0; index < chunkCount; index++)
            {
                if (window.Count == inFlight)
                {
                    Count(await window.Dequeue().ConfigureAwait(false));
                }

                var offset = index * chunkBytes;
                var chunk = new MqttApplicationMessageBuilder()
                    .WithTopic(chunkTopic)
                    .WithPayloadSegment(clip.Content.AsMemory(offset, Math.Min(chunkBytes, clip.Content.Length - offset)))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithUserProperty(ChunkProperties.Index, Ascii(index))
                    .WithUserProperty(ChunkProperties.Count, countProperty)
                    .WithUserProperty(ChunkProperties.ChunkBytes, sizeProperty)
                    .Build();
                window.Enqueue(client.PublishAsync(chunk, cancellationToken));
            }

            // A clip is sent when the broker acknowledged all its chunks; the next one starts then (as on a device).
            while (window.Count > 0)
            {
                Count(await window.Dequeue().ConfigureAwait(false));
            }
        }

        return (messages, noSubscriber);

        void Count(MqttClientPublishResult result)
        {
            messages++;
            if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
            {
                noSubscriber++;
            }
            else if (result.ReasonCode != MqttClientPublishReasonCode.Success)
            {
                throw new InvalidOperationException($"the broker refused a publish of {topics.Device}: {result.ReasonCode} {result.ReasonString}");
            }
        }
    }

    private static ReadOnlyMemory<byte> Ascii(int value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>What the broker acknowledged: every manifest and chunk, how many nobody was subscribed to, and how long it took.</summary>
internal sealed record PublishSummary(int Messages, int NoSubscriber, TimeSpan Elapsed);
