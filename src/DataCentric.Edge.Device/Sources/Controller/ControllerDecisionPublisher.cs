using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Sensors;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>
/// Turns controller messages into <c>primary.*</c> signals: parses (JSON or binary), checks every
/// decision against the configured signals, corrects the controller's timestamp for clock offset and
/// publishes. A bad message is counted and logged (rate-limited) and changes nothing on the bus.
/// Used by one receive loop at a time.
/// <para>
/// Time alignment: decisions are stamped with the message's sent time on the agent's clock;
/// perceived values (detections, labels) with the capture time of the frame the controller
/// perceived (<c>perception.time</c> moved by the same clock offset, never after the sent time and
/// never before the previous perception), so the trigger engine, which evaluates a set at the
/// capture time of the newest frame its shadow outputs cover, compares the two perceptions of
/// (nearly) the same instant; the set's <c>staleAfter</c> bounds how old the controller's may be.
/// </para>
/// </summary>
public sealed class ControllerDecisionPublisher
{
    private readonly ControllerFeedOptions _options;
    private readonly BadInputCounter _badInput;
    private readonly Dictionary<string, (string FullName, SignalKind Kind)> _signals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SignalId> _ids = new(StringComparer.Ordinal);
    private readonly List<ControllerDecision> _decisions = [];
    private readonly string[] _binaryOrder;
    private readonly ControllerClasses _classes;
    private TimeSpan _lastPerceived = TimeSpan.MinValue;

    public ControllerDecisionPublisher(ControllerFeedOptions options, BadInputCounter badInput, ClockOffsetEstimator clockOffset)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(badInput);
        ArgumentNullException.ThrowIfNull(clockOffset);
        _options = options;
        _badInput = badInput;
        ClockOffset = clockOffset;
        foreach (var (name, kind) in options.Signals)
        {
            _signals[name] = ($"{options.SignalPrefix}.{name}", ControllerFeedOptions.SignalKindOf(kind));
        }

        _classes = new ControllerClasses(options.Classes);

        _binaryOrder = [.. options.BinarySignalOrder];
    }

    public ClockOffsetEstimator ClockOffset { get; }

    public BadInputCounter BadInput => _badInput;

    /// <summary>Messages whose decisions all reached the bus.</summary>
    public long Accepted { get; private set; }

    public void Register(SignalBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        foreach (var (name, (fullName, kind)) in _signals)
        {
            _ids[name] = bus.Register(fullName, kind);
        }
    }

    /// <summary>Parses and publishes one message; returns false (after counting it) when it was bad.</summary>
    public bool Accept(SignalBus bus, ReadOnlySpan<byte> payload, TimeSpan receivedAt)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _decisions.Clear();
        ControllerMessageTime times;
        try
        {
            if (payload.Length > _options.MaxMessageBytes)
            {
                throw new ControllerMessageException("oversized", $"{payload.Length} bytes, the limit is {_options.MaxMessageBytes}");
            }

            times = _options.Format == ControllerMessageFormat.Json
                ? ControllerJsonMessage.Parse(payload, _decisions, _classes)
                : new ControllerMessageTime(ControllerBinaryMessage.Parse(payload, _binaryOrder, _decisions), null);
            foreach (var decision in _decisions)
            {
                Check(decision);
            }
        }
        catch (ControllerMessageException e)
        {
            _badInput.Report(e.Kind, e.Message);
            return false;
        }

        // All checked before any is published: a bad message changes nothing.
        var time = times.Sent is { } controllerTime ? ClockOffset.Correct(controllerTime, receivedAt) : receivedAt;
        var perceived = PerceivedAt(times, time);
        foreach (var decision in _decisions)
        {
            bus.Publish(_ids[decision.Name], decision.Value, decision.Perceived ? perceived : time);
        }

        Accepted++;
        return true;
    }

    /// <summary>The perceived frame's time on the agent's clock: the sent time moved back by how much earlier the controller says the frame was.</summary>
    private TimeSpan PerceivedAt(ControllerMessageTime times, TimeSpan sent)
    {
        var perceived = times is { Perceived: { } frame, Sent: { } message } && frame < message ? sent - (message - frame) : sent;

        // The bus keeps each signal's history in time order: a perception never goes back.
        perceived = perceived < _lastPerceived ? _lastPerceived : perceived;
        _lastPerceived = perceived;
        return perceived;
    }

    private void Check(in ControllerDecision decision)
    {
        if (!_signals.TryGetValue(decision.Name, out var signal))
        {
            throw new ControllerMessageException("unknown-signal", $"decision '{decision.Name}' is not one of the configured signals ({string.Join(", ", _signals.Keys)})");
        }

        if (signal.Kind != decision.Value.Kind)
        {
            throw new ControllerMessageException("wrong-kind", $"decision '{decision.Name}' is {decision.Value.Kind}, configured as {signal.Kind}");
        }

        if (!_ids.ContainsKey(decision.Name))
        {
            throw new InvalidOperationException("Register the publisher on the bus before accepting messages.");
        }
    }
}
