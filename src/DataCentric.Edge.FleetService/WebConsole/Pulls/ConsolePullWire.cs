using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.FleetService.WebConsole.Pulls;

/// <summary>
/// A pull on the console's queue: the request as the API keeps it, the state of its device (so the page can say a
/// pull waits for a device that is offline), and what the fleet holds of its window now.
/// </summary>
/// <param name="DeviceState">online, offline or paused as the device's latest status said; null when it never reported.</param>
public sealed record ConsolePull(ApiPull Pull, string? DeviceState, DateTimeOffset? DeviceLastSeen, ConsolePullProgress Progress);

/// <summary>
/// What the fleet holds of a pull's window: clips catalogued (whole, checked) and uploads still arriving, chunk by chunk,
/// as the receivers staged them. It is by window, not by the pull: a clip of that window that arrived before the pull counts too.
/// </summary>
public sealed record ConsolePullProgress(int ClipsReceived, long BytesReceived, IReadOnlyList<ConsolePullUpload> Arriving);

/// <summary>One clip of the window on its way: chunks (and bytes) staged of the manifest's count (and size).</summary>
public sealed record ConsolePullUpload(string ClipId, int ChunksReceived, int ChunkCount, long BytesReceived, long SizeBytes);

/// <summary>
/// The console's pull form: a window, absolute or around a time (the page fills it from an event), checked here with
/// messages that name the field before the pull is recorded. Times are ISO 8601 text so a bad one is named, not a JSON error.
/// </summary>
public sealed record ConsoleNewPull(string? Fleet, string? Device, string? From, string? To, int Priority = 0, string? PullId = null);
