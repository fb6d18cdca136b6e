using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Device.Sources.Controller;

/// <summary>Where the primary controller's decisions come from.</summary>
public enum ControllerFeedKind
{
    /// <summary>The simulated controller of the synthetic scene (the demo and the default).</summary>
    Simulated,

    /// <summary>UDP datagrams, JSON or the compact binary layout.</summary>
    Udp,

    /// <summary>A topic on a local MQTT broker.</summary>
    Mqtt,

    /// <summary>SocketCAN frames decoded with <see cref="ControllerFeedOptions.CanSignals"/>.</summary>
    Can,

    /// <summary>No controller feed.</summary>
    None,
}

/// <summary>Encoding of UDP and MQTT controller messages.</summary>
public enum ControllerMessageFormat
{
    Json,

    /// <summary>The compact binary layout documented on <c>ControllerBinaryMessage</c>.</summary>
    Binary,
}

/// <summary>
/// The primary controller's decisions, read only. Every decision becomes a signal
/// <c>{SignalPrefix}.{name}</c>; only the signals listed in <see cref="Signals"/> (or mapped in
/// <see cref="CanSignals"/>) are accepted, so triggers can be checked before the first message.
/// </summary>
public sealed class ControllerFeedOptions : IValidatableObject
{
    public const string SectionName = "Sources:Controller";

    public ControllerFeedKind Kind { get; set; } = ControllerFeedKind.Simulated;

    [Required]
    [RegularExpression("^[a-z][a-z0-9_]*$")]
    public string SignalPrefix { get; set; } = "primary";

    /// <summary>
    /// UDP/MQTT: signal name (without prefix) to kind: <c>Number</c> or <c>Bool</c> (a decision),
    /// <c>Detections</c> (a list of the controller's own boxes) or <c>Label</c> (one class name),
    /// both from the JSON message's <c>perception</c> object.
    /// </summary>
    public IDictionary<string, string> Signals { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The class names the controller may report in detections and labels, in the shadow detector's
    /// class-id order (name i has id i), so that <c>class_mismatch</c> compares the same classes.
    /// Required when a <c>Detections</c> or <c>Label</c> signal is configured.
    /// </summary>
    public IList<string> Classes { get; } = [];

    public ControllerMessageFormat Format { get; set; } = ControllerMessageFormat.Json;

    /// <summary>Binary format: signal names by index (the layout carries indexes, not names).</summary>
    public IList<string> BinarySignalOrder { get; } = [];

    /// <summary>UDP: address to listen on; loopback unless the controller is another machine.</summary>
    [Required]
    public string UdpBindAddress { get; set; } = "127.0.0.1";

    [Range(0, 65535)]
    public int UdpPort { get; set; } = 47800;

    [Required]
    public string MqttHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int MqttPort { get; set; } = 1883;

    [Required]
    public string MqttTopic { get; set; } = "controller/decisions";

    public TimeSpan MqttReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one connect may wait for the broker's CONNACK (and the subscription for its SUBACK)
    /// before it counts as failed and is retried (positive, like every duration: the configuration check refuses zero and negative ones).
    /// </summary>
    public TimeSpan MqttConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>CAN: the SocketCAN interface, e.g. <c>can0</c>.</summary>
    [Required]
    public string CanInterface { get; set; } = "can0";

    public IList<CanSignalOptions> CanSignals { get; } = [];

    /// <summary>A message larger than this is rejected before it is parsed.</summary>
    [Range(16, 65507)]
    public int MaxMessageBytes { get; set; } = 4096;

    /// <summary>Controller timestamps are corrected by the smallest (receive − sent) seen over this many messages.</summary>
    [Range(1, 100_000)]
    public int ClockOffsetWindow { get; set; } = 256;

    /// <summary>How often a kind of bad input is logged at most; every one is counted.</summary>
    public TimeSpan BadInputLogInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The bus kind of a configured signal kind (validated: Number, Bool, Detections or Label).</summary>
    public static Core.Signals.SignalKind SignalKindOf(string kind) => kind switch
    {
        "Bool" => Core.Signals.SignalKind.Bool,
        "Detections" => Core.Signals.SignalKind.Detections,
        "Label" => Core.Signals.SignalKind.Text,
        _ => Core.Signals.SignalKind.Number,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, kind) in Signals)
        {
            if (kind is not ("Number" or "Bool" or "Detections" or "Label"))
            {
                yield return new ValidationResult($"Signals:{name}: kind must be Number, Bool, Detections or Label, not '{kind}'", [nameof(Signals)]);
            }
        }

        if (Classes.Count == 0 && Signals.Values.Any(k => k is "Detections" or "Label"))
        {
            yield return new ValidationResult("Classes: a Detections or Label signal needs the class names, in the shadow detector's class-id order", [nameof(Classes)]);
        }

        for (var i = 0; i < Classes.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Classes[i]))
            {
                yield return new ValidationResult($"Classes:{i}: a class name must not be empty", [nameof(Classes)]);
            }
            else if (Classes.IndexOf(Classes[i]) < i)
            {
                yield return new ValidationResult($"Classes:{i}: '{Classes[i]}' is listed twice", [nameof(Classes)]);
            }
        }

        foreach (var name in BinarySignalOrder)
        {
            if (!Signals.TryGetValue(name, out var kind))
            {
                yield return new ValidationResult($"BinarySignalOrder: '{name}' is not listed in Signals", [nameof(BinarySignalOrder)]);
            }
            else if (kind is "Detections" or "Label")
            {
                yield return new ValidationResult($"BinarySignalOrder: '{name}' is a {kind} signal; the binary message carries numbers and booleans only (send perception as JSON)", [nameof(BinarySignalOrder)]);
            }
        }

        for (var i = 0; i < CanSignals.Count; i++)
        {
            foreach (var error in CanSignals[i].Check())
            {
                yield return new ValidationResult($"CanSignals:{i}: {error}", [nameof(CanSignals)]);
            }
        }
    }
}

/// <summary>Byte order of a CAN signal, as in a DBC file.</summary>
public enum CanByteOrder
{
    /// <summary>Intel: start bit is the least significant bit.</summary>
    LittleEndian,

    /// <summary>Motorola: start bit is the most significant bit (DBC numbering).</summary>
    BigEndian,
}

/// <summary>One signal in a CAN frame: physical value = raw × <see cref="Scale"/> + <see cref="Offset"/>.</summary>
public sealed class CanSignalOptions
{
    /// <summary>Signal name without the prefix, e.g. <c>brake</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The 11-bit or 29-bit frame id, in decimal (JSON has no hex numbers, and the binder reads no "0x" strings).</summary>
    public uint FrameId { get; set; }

    public int StartBit { get; set; }

    public int Length { get; set; } = 1;

    public CanByteOrder ByteOrder { get; set; } = CanByteOrder.LittleEndian;

    public bool Signed { get; set; }

    public double Scale { get; set; } = 1;

    public double Offset { get; set; }

    /// <summary><c>Number</c>, or <c>Bool</c> (non-zero is true).</summary>
    public string Kind { get; set; } = "Number";

    public IEnumerable<string> Check()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return "Name is required";
        }

        if (FrameId > 0x1FFF_FFFF)
        {
            yield return $"FrameId 0x{FrameId:X} is more than 29 bits";
        }

        if (StartBit is < 0 or > 63)
        {
            yield return $"StartBit {StartBit} is outside 0..63";
        }

        if (Length is < 1 or > 64)
        {
            yield return $"Length {Length} is outside 1..64";
        }

        if (Kind is not ("Number" or "Bool"))
        {
            yield return $"Kind must be Number or Bool, not '{Kind}'";
        }

        if (Scale == 0 || !double.IsFinite(Scale) || !double.IsFinite(Offset))
        {
            yield return "Scale must be finite and not zero, Offset finite";
        }
    }
}
