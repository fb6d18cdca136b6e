namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// The times a controller message carries, on the controller's clock: when it was sent
/// (<c>time</c>) and when the frame its perception describes was captured (<c>perception.time</c>).
/// Either may be absent.
/// </summary>
public readonly record struct ControllerMessageTime(TimeSpan? Sent, TimeSpan? Perceived);
