namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>One line of the receiver's index: a clip held whole and verified, where it lies (relative to the root).</summary>
public sealed record ReceivedClipRecord(
    string Fleet,
    string Device,
    string ClipId,
    string RelativePath,
    long SizeBytes,
    string Sha256,
    int Priority,
    IReadOnlyList<string> TriggerIds,
    DateTimeOffset StartWall,
    DateTimeOffset EndWall,
    DateTimeOffset ReceivedAt);
