using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Fleet.Receiver;

/// <summary>A clip the receiver holds whole, with its hash verified.</summary>
public sealed record ReceivedClip(ClipManifest Manifest, string Path);
