using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Sources;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>Replays a recording's signals (controller decisions, sensors; not model outputs) on the same time line as its frames.</summary>
public sealed class RecordingSignalSource(RecordingReplay replay, MonotonicClock clock) : ISignalSource
{
    private readonly Dictionary<string, SignalId> _ids = new(StringComparer.Ordinal);

    public string Name => $"recording-signals:{replay.Options.Path}";

    public void Register(SignalBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        foreach (var update in replay.Clip.Signals)
        {
            if (RecordingReplay.IsReplayed(update.Name) && !_ids.ContainsKey(update.Name))
            {
                _ids[update.Name] = bus.Register(update.Name, update.Sample.Value.Kind);
            }
        }
    }

    public async Task RunAsync(SignalBus bus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bus);
        Register(bus);
        var clip = replay.Clip;
        try
        {
            do
            {
                var anchor = replay.AnchorAt(clock.Now);
                foreach (var update in clip.Signals)
                {
                    if (_ids.TryGetValue(update.Name, out var id))
                    {
                        var time = await ReplayClock.WaitUntilAsync(replay.Options.Pacing, anchor + (update.Sample.Time - clip.Start), clock, cancellationToken).ConfigureAwait(false);
                        bus.Publish(id, update.Sample.Value, time);
                    }
                }

                // The frame source moves the time line on; wait for the clip's end before looping.
                await ReplayClock.WaitUntilAsync(replay.Options.Pacing, anchor + replay.Length, clock, cancellationToken).ConfigureAwait(false);
            }
            while (replay.Options.Loop && !cancellationToken.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }
}
