using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// One value in a controller message: a signal name (without prefix) and its value. A decision is
/// stamped with the message's time; a perceived value (<paramref name="Perceived"/>: detections and
/// labels from the message's <c>perception</c> object) with the time of the frame the controller perceived.
/// </summary>
public readonly record struct ControllerDecision(string Name, SignalValue Value, bool Perceived = false);
