using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Core.Recording.Mcap;

/// <summary>What a clip listing needs, read from the summary and metadata without reading any frame.</summary>
public sealed record McapClipSummary(
    string ClipId,
    TimeSpan Start,
    TimeSpan End,
    DateTimeOffset WallClockStart,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<TriggerEvent> Events,
    IReadOnlyDictionary<string, ulong> MessageCountsByTopic,
    ulong FrameCount);
