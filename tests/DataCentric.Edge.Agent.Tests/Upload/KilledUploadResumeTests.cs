using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataCentric.Edge.Agent.Tests.PowerLoss;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Agent.Tests.Upload;

/// <summary>
/// Resume after a real SIGKILL: the agent runs as its own process against mosquitto, uploading a
/// clip in 16 KiB chunks under a bandwidth cap; an outside MQTT client sees chunk k go by, the test
/// kills the process there, starts it again on the same data directory, and the client must see the
/// next run start that clip no earlier than k minus what the design lets a kill lose (the chunks in
/// flight plus those acknowledged since the last position write), and the clip completed after.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KilledUploadResumeTests
{
    private const int ChunkBytes = 8 * 1024;
    private const int KillAtChunk = 40;

    // MqttClipUploader: 16 publishes in flight, the position written every 8 acknowledged chunks.
    private const int MostResent = 16 + 8;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentKilledAtChunkK_NextRunStartsTheClipAtLeastAtKMinusWhatCanBeInFlight()
    {
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: Token);
        using var dir = new TempDirectory("dce-killed-upload");
        using var wire = await WireWatcher.StartAsync(broker.Port);
        var data = dir.Combine("data");
        var environment = new Dictionary<string, string>
        {
            ["DCE_Uplink__Host"] = "127.0.0.1",
            ["DCE_Uplink__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["DCE_Uplink__ChunkBytes"] = $"{ChunkBytes}",
            ["DCE_Uplink__MinChunkBytes"] = $"{ChunkBytes}",

            // About 6 chunks a second: a clip of some 70 chunks takes seconds, so the kill lands mid-clip.
            ["DCE_Uplink__MaxBytesPerSecond"] = $"{6 * ChunkBytes}",
        };

        string clipId;
        int lastSeenBeforeKill;
        using (var first = AgentProcess.Start(["run", "--data", data], environment))
        {
            clipId = await wire.WaitForChunkAsync(KillAtChunk);
            first.Kill();
            await first.WaitForExitAsync(Token);
            lastSeenBeforeKill = wire.Indices(clipId).Max();
        }

        var restartedAt = wire.Mark();
        using var second = AgentProcess.Start(["run", "--data", data], environment);
        var total = await wire.WaitForClipCompleteAsync(clipId);
        var resent = wire.Indices(clipId, since: restartedAt);
        await second.StopAsync(Token);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"clip {clipId}: {total} chunks; killed after the wire saw chunk {lastSeenBeforeKill}; the next run started at chunk {resent.Min()}");
        Assert.InRange(resent.Min(), Math.Max(0, lastSeenBeforeKill - MostResent + 1), lastSeenBeforeKill + 1);

        // Nothing skipped: every chunk from there to the end went out again after the restart.
        Assert.Equal(Enumerable.Range(resent.Min(), total - resent.Min()), resent.Distinct().Order());
    }

    /// <summary>An outside client on the broker: every chunk of every clip, with the order it was seen in.</summary>
    private sealed class WireWatcher : IDisposable
    {
        private readonly IMqttClient _client;
        private readonly ConcurrentQueue<(long Seen, string ClipId, int Index, int Count)> _chunks = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private long _counter;

        private WireWatcher(IMqttClient client)
        {
            _client = client;
            client.ApplicationMessageReceivedAsync += e =>
            {
                var parts = e.ApplicationMessage.Topic.Split('/');
                if (parts[^1] != "chunk")
                {
                    return Task.CompletedTask;
                }

                _chunks.Enqueue((Interlocked.Increment(ref _counter), parts[^2], Property(e.ApplicationMessage, ChunkProperties.Index), Property(e.ApplicationMessage, ChunkProperties.Count)));
                _arrived.Release();
                return Task.CompletedTask;
            };
        }

        public static async Task<WireWatcher> StartAsync(int port)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(
                new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("outside-watcher")
                    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build(),
                Token);
            // Manifests too: a manifest nobody subscribes to is answered 0x10, and the agent then sends no chunk.
            await client.SubscribeAsync("dce/v1/+/+/clips/+/manifest", MqttQualityOfServiceLevel.AtLeastOnce, Token);
            await client.SubscribeAsync("dce/v1/+/+/clips/+/chunk", MqttQualityOfServiceLevel.AtLeastOnce, Token);
            return new WireWatcher(client);
        }

        /// <summary>Everything seen so far is before the mark.</summary>
        public long Mark() => Interlocked.Read(ref _counter);

        public List<int> Indices(string clipId, long since = 0) => [.. _chunks.Where(c => c.ClipId == clipId && c.Seen > since).Select(c => c.Index)];

        /// <summary>The clip whose chunk <paramref name="index"/> went by first.</summary>
        public async Task<string> WaitForChunkAsync(int index)
        {
            while (true)
            {
                await WaitAsync($"a clip's chunk {index}");
                if (_chunks.FirstOrDefault(c => c.Index >= index) is { ClipId: { } clipId })
                {
                    return clipId;
                }
            }
        }

        /// <summary>Waits until every chunk of the clip has gone by; its chunk count.</summary>
        public async Task<int> WaitForClipCompleteAsync(string clipId)
        {
            while (true)
            {
                var seen = _chunks.Where(c => c.ClipId == clipId).ToList();
                if (seen.Count > 0 && seen.Select(c => c.Index).Distinct().Count() == seen[0].Count)
                {
                    return seen[0].Count;
                }

                await WaitAsync($"every chunk of clip {clipId}");
            }
        }

        public void Dispose()
        {
            _client.Dispose();
            _arrived.Dispose();
        }

        private static int Property(MqttApplicationMessage message, string name) =>
            int.Parse(Encoding.ASCII.GetString(message.UserProperties.First(p => p.Name == name).ValueBuffer.Span), CultureInfo.InvariantCulture);

        private async Task WaitAsync(string what)
        {
            // Chunks come every fraction of a second once uploading; the agent's start takes seconds.
            Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(60), Token), $"no chunk for 60 s while waiting for {what}");
        }
    }
}
