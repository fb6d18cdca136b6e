using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Triggers.Language;

/// <summary>
/// The values compiled conditions read on one tick: the latest sample of every signal the set
/// uses, copied once per tick into preallocated arrays indexed by slot.
/// </summary>
internal sealed class EvalFrame
{
    public EvalFrame(SignalBus bus, int slots)
    {
        Bus = bus;
        Ids = new SignalId[slots];
        Numbers = new double[slots];
        Refs = new object?[slots];
        Times = new double[slots];
    }

    public SignalBus Bus { get; }

    public SignalId[] Ids { get; }

    /// <summary>Number, or 1/0 for a bool.</summary>
    public double[] Numbers { get; }

    /// <summary>Text, detections (<c>Detection[]</c>) or vector (<c>float[]</c>).</summary>
    public object?[] Refs { get; }

    /// <summary>Monotonic time of each latest sample, in seconds.</summary>
    public double[] Times { get; }

    /// <summary>Monotonic time of the tick, in seconds.</summary>
    public double Now { get; set; }
}
