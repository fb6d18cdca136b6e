namespace DataCentric.Edge.Fleet.Client;

/// <summary>
/// The broker said no session is subscribed to the device's command topic (MQTT 5 PUBACK "no
/// matching subscribers"): the device never connected, or its session expired. A device that is
/// merely offline keeps its session, and the broker queues the request for it instead.
/// </summary>
public sealed class DeviceNotListeningException(string message) : InvalidOperationException(message);
