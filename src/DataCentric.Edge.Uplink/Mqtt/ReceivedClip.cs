using DataCentric.Edge.Core.Upload;

namespace DataCentric.Edge.Uplink.Mqtt;

/// <summary>A clip the receiver holds whole, with its hash verified.</summary>
public sealed record ReceivedClip(ClipManifest Manifest, string Path);
