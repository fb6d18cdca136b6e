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

    /// <summary>UDP/MQTT: signal name (without prefix) to kind: <c>Number</c> or <c>Bool</c>.</summary>
    public IDictionary<string, string> Signals { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, kind) in Signals)
        {
            if (kind is not ("Number" or "Bool"))
            {
                yield return new ValidationResult($"Signals:{name}: kind must be Number or Bool, not '{kind}'", [nameof(Signals)]);
            }
        }

        foreach (var name in BinarySignalOrder.Where(n => !Signals.ContainsKey(n)))
        {
            yield return new ValidationResult($"BinarySignalOrder: '{name}' is not listed in Signals", [nameof(BinarySignalOrder)]);
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
