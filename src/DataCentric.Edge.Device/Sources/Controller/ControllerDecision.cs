using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>One decision in a controller message: a signal name (without prefix) and its value.</summary>
public readonly record struct ControllerDecision(string Name, SignalValue Value);
