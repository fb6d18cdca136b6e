using System.Buffers;
using DataCentric.Edge.Uplink.Broker;
using MQTTnet;
using MQTTnet.Protocol;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// The fleet side of a transfer: a model file published as retained, content-addressed chunks
/// (<see cref="ModelTopics.Chunk"/>), <see cref="ModelTopics.ChunkBytes"/> each but the last, at
/// QoS 1 with a few in flight. The file is read one chunk at a time into pooled buffers.
/// </summary>
public static class ModelChunkPublisher
{
    private const int InFlight = 16;

    /// <summary>Publishes every chunk of <paramref name="modelFile"/> under the release's SHA-256; returns how many.</summary>
    /// <param name="progress">Called with the bytes published so far after each chunk the broker acknowledged.</param>
    public static async Task<int> PublishAsync(IMqttClient client, string fleet, string sha256, string modelFile, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFile);
        await using var file = new FileStream(modelFile, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var count = ModelTopics.ChunkCount(file.Length);
        var pending = new Queue<(Task<MqttClientPublishResult> Publish, byte[] Buffer, string Topic, int Length)>();
        long published = 0;
        try
        {
            for (var index = 0; index < count; index++)
            {
                if (pending.Count == InFlight)
                {
                    published += await CompleteAsync(pending.Dequeue()).ConfigureAwait(false);
                    progress?.Invoke(published);
                }

                var length = ModelTopics.ChunkLength(file.Length, index);
                var buffer = ArrayPool<byte>.Shared.Rent(length);
                await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                var topic = ModelTopics.Chunk(fleet, sha256, index);
                var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(new ArraySegment<byte>(buffer, 0, length))
                    .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                pending.Enqueue((client.PublishAsync(message, cancellationToken), buffer, topic, length));
            }

            while (pending.Count > 0)
            {
                published += await CompleteAsync(pending.Dequeue()).ConfigureAwait(false);
                progress?.Invoke(published);
            }
        }
        finally
        {
            // After a failure the other publishes may still read their buffers: let them finish first.
            foreach (var (publish, buffer, _, _) in pending)
            {
                await Task.WhenAny(publish).ConfigureAwait(false);
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return count;
    }

    private static async Task<long> CompleteAsync((Task<MqttClientPublishResult> Publish, byte[] Buffer, string Topic, int Length) sent)
    {
        try
        {
            PublishResults.EnsureAccepted(await sent.Publish.ConfigureAwait(false), sent.Topic);
            return sent.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sent.Buffer);
        }
    }
}
