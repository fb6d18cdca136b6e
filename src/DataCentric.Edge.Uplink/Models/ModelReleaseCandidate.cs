using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>A release whose manifest passed every check: it may be downloaded. <see cref="Hash"/> is the SHA-256 of the envelope's bytes.</summary>
internal sealed record ModelReleaseCandidate(string Topic, byte[] Envelope, string Hash, ModelReleasePayload Release);
