using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using static DataCentric.Edge.Core.Recording.Mcap.McapClipFormat;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>
/// Restores the <see cref="ClipContent"/> that <see cref="McapClipWriter"/> wrote, after checking
/// the whole file (summary, data section and chunk CRCs). Channels of other writers are ignored.
/// </summary>
public sealed class McapClipReader : IClipReader
{
    public ClipContent Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var mcap = McapReader.Open(source);
        try
        {
            var clip = Restore(mcap);

            // After the messages, so that a corrupt chunk is reported by its own CRC and offset;
            // this then covers what chunk CRCs do not: metadata, chunk headers, message indexes.
            mcap.VerifyDataSection();
            return clip;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or JsonException)
        {
            // JsonElement and number parsing report a wrong shape with these; callers expect InvalidDataException.
            throw new InvalidDataException($"The clip file's content does not have the expected shape: {e.Message}", e);
        }
    }

    private static ClipContent Restore(McapReader mcap)
    {
        var (info, metadata, events) = ReadMetadata(mcap);

        var signalChannels = new Dictionary<ushort, (SignalId Id, string Name, SignalKind Kind)>();
        var cameraChannels = new HashSet<ushort>();
        foreach (var channel in mcap.Summary.Channels.Values)
        {
            if (IsCamera(mcap, channel))
            {
                cameraChannels.Add(channel.Id);
            }
            else if (channel.Metadata.TryGetValue(SignalNameKey, out var name))
            {
                signalChannels[channel.Id] = (
                    new SignalId(checked((int)ParseInteger(Required(channel, SignalIdKey)))),
                    name,
                    ParseKind(Required(channel, SignalKindKey)));
            }
        }

        var frames = new List<Frame>();
        var signals = new List<SignalUpdate>();
        foreach (var message in mcap.ReadMessages(c => cameraChannels.Contains(c.Id) || signalChannels.ContainsKey(c.Id)))
        {
            if (signalChannels.TryGetValue(message.Channel.Id, out var signal))
            {
                signals.Add(McapClipJsonReader.Signal(message, signal.Id, signal.Name, signal.Kind));
            }
            else
            {
                frames.Add(McapClipJsonReader.Frame(message));
            }
        }

        return new ClipContent(info.ClipId, info.Start, info.End, info.WallClockStart, frames, signals, events, metadata);
    }

    /// <summary>Reads the summary and metadata only: for listings that must not load frames.</summary>
    public McapClipSummary ReadSummary(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var mcap = McapReader.Open(source);
        var (info, metadata, events) = ReadMetadata(mcap);
        var counts = new Dictionary<string, ulong>(StringComparer.Ordinal);
        ulong frames = 0;
        foreach (var channel in mcap.Summary.Channels.Values)
        {
            var count = mcap.Summary.Statistics?.ChannelMessageCounts.GetValueOrDefault(channel.Id) ?? 0;
            counts[channel.Topic] = counts.GetValueOrDefault(channel.Topic) + count;
            if (IsCamera(mcap, channel))
            {
                frames += count;
            }
        }

        return new McapClipSummary(info.ClipId, info.Start, info.End, info.WallClockStart, metadata, events, counts, frames);
    }

    private static ((string ClipId, TimeSpan Start, TimeSpan End, DateTimeOffset WallClockStart) Info, Dictionary<string, string> Metadata, List<TriggerEvent> Events) ReadMetadata(McapReader mcap)
    {
        McapMetadata? info = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var events = new List<TriggerEvent>();
        foreach (var record in mcap.ReadMetadata())
        {
            switch (record.Name)
            {
                case ClipInfoMetadata:
                    info = record;
                    break;
                case ClipMetadata:
                    foreach (var (key, value) in record.Values)
                    {
                        metadata[key] = value;
                    }

                    break;
                case TriggerEventMetadata:
                    events.Add(McapClipMetadata.ParseEvent(record));
                    break;
                default:
                    break;
            }
        }

        if (info is null)
        {
            throw new InvalidDataException($"The MCAP file has no '{ClipInfoMetadata}' metadata record; it was not written by {nameof(McapClipWriter)}.");
        }

        return (McapClipMetadata.ParseInfo(info), metadata, events);
    }

    private static bool IsCamera(McapReader mcap, McapChannel channel) =>
        mcap.Summary.Schemas.TryGetValue(channel.SchemaId, out var schema) && schema.Name == CompressedImageSchema;

    private static string Required(McapChannel channel, string key) =>
        channel.Metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"Channel '{channel.Topic}' lacks the metadata key '{key}'.");
}
