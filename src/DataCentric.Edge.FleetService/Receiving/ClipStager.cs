using System.Buffers;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Receiver;
using DataCentric.Edge.FleetService.Catalog.Staging;
using DataCentric.Edge.FleetService.ObjectStore;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace DataCentric.Edge.FleetService.Receiving;

/// <summary>
/// Stages each manifest and chunk the receiver's session delivers, durably, before it is acknowledged;
/// hands clips that may now be whole to the assembler. Keeps nothing between messages.
/// </summary>
/// <remarks>
/// Bad input (unreadable, naming another fleet, device or clip than its topic, oversized, disagreeing
/// with what is staged) is refused, counted and logged, then acknowledged: a redelivery would not make
/// it better. A store failure throws, so the message stays unacknowledged and comes back.
/// </remarks>
internal sealed partial class ClipStager(
    IClipStaging staging,
    ReceiverOptions options,
    string keyPrefix,
    Func<StagedClip, bool> offerForAssembly,
    Func<string, string, ClipAck, Task> ackAsync,
    ReceiverCounters counters,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>
    /// A chunk this close to its clip's end may be the last piece in: try to assemble after staging it.
    /// Earlier chunks do not (a claim counts the staged chunks; trying after each would be quadratic);
    /// whatever is missed this way the sweep finds.
    /// </summary>
    private const int TailChunks = 32;

    public async Task HandleAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var topic = message.Topic;
        if (!FleetTopics.TryParseClipTopic(topic, out var fleet, out var device, out var clipId, out var kind))
        {
            Refuse(topic, $"not a clip topic of contract {FleetTopics.Root}");
            return;
        }

        try
        {
            switch (kind)
            {
                case "manifest":
                    await StageManifestAsync(topic, new StagedClip(fleet, device, clipId), message.Payload, cancellationToken).ConfigureAwait(false);
                    break;
                case "chunk":
                    await StageChunkAsync(topic, new StagedClip(fleet, device, clipId), message, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    Refuse(topic, "not a manifest or a chunk");
                    break;
            }
        }
        catch (Exception invalid) when (invalid is ArgumentException or InvalidDataException)
        {
            // The staging store's input rules refused a value: the device's fault, not the store's.
            Refuse(topic, invalid.Message);
        }
    }

    private async Task StageManifestAsync(string topic, StagedClip clip, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        if (UplinkJson.Deserialize<ClipManifest>(payload) is not { TriggerIds: not null } manifest)
        {
            Refuse(topic, "not a ClipManifest");
            return;
        }

        if (manifest.Fleet != clip.Fleet || manifest.Device != clip.Device || manifest.ClipId != clip.ClipId)
        {
            Refuse(topic, $"the manifest names clip {manifest.ClipId} of {manifest.Fleet}/{manifest.Device}");
            return;
        }

        _ = ClipObjectKeys.For(keyPrefix, manifest); // Refuses ids that cannot be a key before anything is staged.
        switch (await staging.StageManifestAsync(manifest, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            case StageOutcome.AlreadyCatalogued:
                counters.AddDuplicate();
                await ackAsync(clip.Fleet, clip.Device, new ClipAck(clip.ClipId, ClipAckStatus.Complete, manifest.Sha256, "already held")).ConfigureAwait(false);
                break;
            case StageOutcome.Conflict:
                Refuse(topic, "the fleet holds this clip id from another device or with other bytes");
                break;
            case StageOutcome.Staged:
                counters.AddManifest();
                offerForAssembly(clip);
                break;
            default:
                counters.AddDuplicate();
                offerForAssembly(clip);
                break;
        }
    }

    private async Task StageChunkAsync(string topic, StagedClip clip, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var header = ChunkHeader.Read(message);
        var payload = message.Payload;
        if (payload.Length > options.MaxChunkBytes)
        {
            Refuse(topic, $"chunk of {payload.Length} bytes is over Receiver:MaxChunkBytes ({options.MaxChunkBytes})");
            return;
        }

        var data = payload.IsSingleSegment ? payload.First : payload.ToArray();
        var chunk = new StagedChunk(clip, header.ChunkBytes, header.Index, header.Count, data);
        switch (await staging.StageChunkAsync(chunk, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            case StageOutcome.Staged:
                counters.AddChunk();
                if (header.Index >= header.Count - TailChunks)
                {
                    offerForAssembly(clip);
                }

                break;
            case StageOutcome.Conflict:
                Refuse(topic, $"chunk {header.Index} says the clip has {header.Count} chunks; its manifest says otherwise");
                break;
            default:
                counters.AddDuplicate();
                break;
        }
    }

    private void Refuse(string topic, string reason)
    {
        counters.AddRefused();
        LogRefused(logger, topic, reason);
    }

    [LoggerMessage(EventId = 5500, Level = LogLevel.Warning, Message = "Refused {Topic}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string topic, string reason);
}
