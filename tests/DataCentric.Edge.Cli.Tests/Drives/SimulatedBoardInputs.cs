using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;

namespace DataCentric.Edge.Cli.Tests.Drives;

/// <summary>
/// Stands in for the board inputs this machine has not got and that the example trigger sets read
/// (the boards' GPIO buttons, and the speed and engaged state their controllers send, which the
/// simulated controller does not), so a drive recorded by the agent carries them. Values move over
/// time (button presses, engagement changes, a speed wave), so triggers have something to fire on.
/// Published at 20 Hz through the agent's own bus.
/// </summary>
internal sealed class SimulatedBoardInputs(MonotonicClock clock) : ISignalSource
{
    /// <summary>Every signal published and its kind; the example sets may read any of them.</summary>
    public static readonly IReadOnlyList<(string Name, SignalKind Kind)> Signals =
    [
        ("primary.speed", SignalKind.Number),
        ("primary.engaged", SignalKind.Bool),
        ("driver.override_button", SignalKind.Bool),
        ("driver.brake_pedal", SignalKind.Bool),
    ];

    private readonly SignalId[] _ids = new SignalId[Signals.Count];

    public string Name => "simulated-board-inputs";

    public void Register(SignalBus bus)
    {
        for (var i = 0; i < Signals.Count; i++)
        {
            _ids[i] = bus.Register(Signals[i].Name, Signals[i].Kind);
        }
    }

    public async Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50), clock.TimeProvider);
        try
        {
            do
            {
                var t = clock.Now;
                var s = t.TotalSeconds;
                var pressed = s % 4 is >= 2 and < 2.5;
                bus.Publish(_ids[0], SignalValue.FromNumber(12 + (6 * Math.Sin(s))), t);
                bus.Publish(_ids[1], SignalValue.FromBool(s % 6 < 4), t);
                bus.Publish(_ids[2], SignalValue.FromBool(pressed), t);
                bus.Publish(_ids[3], SignalValue.FromBool(s % 5 < 1), t);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent stopped.
        }
    }
}
