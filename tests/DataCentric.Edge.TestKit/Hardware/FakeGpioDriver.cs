using System.Collections.Concurrent;
using System.Device.Gpio;

namespace DataCentric.Edge.TestKit.Hardware;

/// <summary>
/// A GPIO chip in memory (System.Device.Gpio ships no simulated driver). Lines have a mode and a
/// level; <see cref="Drive"/> is the outside world pulling a line, which fires edge callbacks like
/// the kernel would. Every output-side call is recorded in <see cref="Writes"/> and refused, so a
/// test can prove the code under test never drove a pin.
/// </summary>
public sealed class FakeGpioDriver(int pinCount = 64) : GpioDriver
{
    private readonly ConcurrentDictionary<int, Line> _lines = new();

    /// <summary>Output-side calls that reached the driver (each also threw).</summary>
    public ConcurrentQueue<string> Writes { get; } = new();

    /// <summary>The modes pins were opened or set in, in order.</summary>
    public ConcurrentQueue<(int Pin, PinMode Mode)> ModeChanges { get; } = new();

    protected override int PinCount => pinCount;

    /// <summary>The outside world sets a line's level; a change fires the registered edge callbacks.</summary>
    public void Drive(int pin, PinValue level)
    {
        var line = _lines.GetOrAdd(pin, _ => new Line());
        PinChangeEventHandler? handlers;
        PinEventTypes edge;
        lock (line)
        {
            if (line.Level == level)
            {
                return;
            }

            line.Level = level;
            line.Driven = true;
            edge = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            handlers = (line.Events & edge) != 0 ? line.Handlers : null;
        }

        handlers?.Invoke(this, new PinValueChangedEventArgs(edge, pin));
    }

    public bool IsOpen(int pin) => _lines.TryGetValue(pin, out var line) && line.Open;

    protected override void OpenPin(int pinNumber) => _lines.GetOrAdd(pinNumber, _ => new Line()).Open = true;

    protected override void ClosePin(int pinNumber)
    {
        if (_lines.TryGetValue(pinNumber, out var line))
        {
            line.Open = false;
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        ModeChanges.Enqueue((pinNumber, mode));
        if (mode == PinMode.Output)
        {
            Writes.Enqueue($"SetPinMode({pinNumber}, Output)");
            throw new InvalidOperationException($"Fake GPIO: pin {pinNumber} set to Output.");
        }

        var line = _lines.GetOrAdd(pinNumber, _ => new Line());
        line.Mode = mode;

        // The pull resistor sets the idle level of an unconnected line.
        if (mode == PinMode.InputPullUp && !line.Driven)
        {
            line.Level = PinValue.High;
        }
    }

    protected override PinMode GetPinMode(int pinNumber) => _lines.GetOrAdd(pinNumber, _ => new Line()).Mode;

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => pinNumber < pinCount;

    protected override PinValue Read(int pinNumber)
    {
        var line = _lines.GetOrAdd(pinNumber, _ => new Line());
        lock (line)
        {
            return line.Level;
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        Writes.Enqueue($"Write({pinNumber}, {value})");
        throw new InvalidOperationException($"Fake GPIO: write to pin {pinNumber}.");
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The fake GPIO chip reports edges through callbacks only.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        var line = _lines.GetOrAdd(pinNumber, _ => new Line());
        lock (line)
        {
            line.Events |= eventTypes;
            line.Handlers += callback;
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        if (_lines.TryGetValue(pinNumber, out var line))
        {
            lock (line)
            {
                line.Handlers -= callback;
            }
        }
    }

    private sealed class Line
    {
        public bool Open { get; set; }

        public bool Driven { get; set; }

        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue Level { get; set; } = PinValue.Low;

        public PinEventTypes Events { get; set; }

        public PinChangeEventHandler? Handlers { get; set; }
    }
}
