using System.Device.Gpio;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;

namespace DataCentric.Edge.Device.Sources.Sensors;

/// <summary>
/// GPIO inputs (brake-pedal switch, driver-intervention button) as Bool signals: the level at
/// start, then every edge that is not contact bounce. Pins are opened through
/// <see cref="InputPins"/>, in input modes only; nothing is ever written.
/// </summary>
public sealed class GpioInputSource(GpioSourceOptions options, Func<GpioController> openController, MonotonicClock clock) : ISignalSource
{
    private readonly Dictionary<int, SignalId> _ids = [];

    public string Name => $"gpio:{string.Join(",", options.Inputs.Select(i => i.Pin))}";

    /// <summary>Edges dropped as contact bounce.</summary>
    public long BouncesIgnored => Interlocked.Read(ref _bounces);

    private long _bounces;

    public void Register(SignalBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        foreach (var input in options.Inputs)
        {
            _ids[input.Pin] = bus.Register(input.Signal, SignalKind.Bool);
        }
    }

    public async Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(openController);
        Register(bus);
        using var controller = openController();
        var pins = new List<PinWatch>();
        try
        {
            foreach (var input in options.Inputs)
            {
                InputPins.Open(controller, input.Pin, input.Mode);
                var watch = new PinWatch(this, controller, bus, input, _ids[input.Pin], clock);
                pins.Add(watch);
                watch.PublishLevel(clock.Now);
                controller.RegisterCallbackForPinValueChangedEvent(input.Pin, PinEventTypes.Rising | PinEventTypes.Falling, watch.OnEdge);
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, clock.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            foreach (var watch in pins)
            {
                controller.UnregisterCallbackForPinValueChangedEvent(watch.Input.Pin, watch.OnEdge);
                watch.Dispose();
            }
        }
    }

    /// <summary>
    /// One pin: the first edge after a quiet period is published at once (low latency); edges
    /// within the debounce window are bounce, and the level is read again when the window ends so
    /// a short press is not lost.
    /// </summary>
    private sealed class PinWatch(GpioInputSource owner, GpioController controller, SignalBus bus, GpioInputOptions input, SignalId id, MonotonicClock clock) : IDisposable
    {
        private readonly Lock _lock = new();
        private ITimer? _settle;
        private TimeSpan? _lastAccepted;
        private bool? _lastValue;

        public GpioInputOptions Input => input;

        public void PublishLevel(TimeSpan now)
        {
            lock (_lock)
            {
                Publish(controller.Read(input.Pin) == PinValue.High, now);
            }
        }

        public void OnEdge(object sender, PinValueChangedEventArgs e)
        {
            var now = clock.Now;
            lock (_lock)
            {
                if (_lastAccepted is { } last && now - last < input.Debounce)
                {
                    Interlocked.Increment(ref owner._bounces);
                    _settle ??= clock.TimeProvider.CreateTimer(_ => Settle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    _settle.Change(input.Debounce - (now - last), Timeout.InfiniteTimeSpan);
                    return;
                }

                _lastAccepted = now;
                Publish(e.ChangeType == PinEventTypes.Rising, now);
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _settle?.Dispose();
                _settle = null;
            }
        }

        private void Settle()
        {
            lock (_lock)
            {
                if (_settle is null)
                {
                    return;
                }

                // A change found here is an accepted edge; no change leaves the window where it was.
                var now = clock.Now;
                if (Publish(controller.Read(input.Pin) == PinValue.High, now))
                {
                    _lastAccepted = now;
                }
            }
        }

        private bool Publish(bool high, TimeSpan now)
        {
            var active = high != input.ActiveLow;
            if (_lastValue == active)
            {
                return false;
            }

            _lastValue = active;
            bus.Publish(id, SignalValue.FromBool(active), now);
            return true;
        }
    }
}
