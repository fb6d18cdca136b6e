using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Demo;

/// <summary>
/// <c>dce-agent record</c>: keeps every signal the bus carries (model outputs, controller decisions,
/// the scene's ground truth) and writes them as one MCAP drive on shutdown, for
/// <c>edgectl triggers test</c>. Frames are not kept: a backtest needs signals, and an hour of
/// frames would not fit in memory.
/// </summary>
internal sealed class DriveRecorderService(
    AgentCommandLine commandLine,
    SignalBus bus,
    MonotonicClock clock,
    ClipMetadata metadata,
    TextWriter output) : BackgroundService
{
    /// <summary>Bounds memory: 2 M samples is about 10 h of the demo's signals.</summary>
    private const int MaxSamples = 2_000_000;

    private readonly List<SignalUpdate> _samples = [];
    private SignalTap? _tap;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Open the tap before any source publishes, so the drive starts at the first sample.
        _tap = bus.OpenTap(capacity: 65_536);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _tap!.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                Drain();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the drive is written in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Drain();
        var end = clock.Now;
        var drive = new ClipContent(
            $"drive-{clock.WallClockAtOrigin:yyyyMMdd'T'HHmmss}", TimeSpan.Zero, end, clock.WallClockAtOrigin, [], _samples, [], metadata.Values);
        var path = Path.GetFullPath(commandLine.OutputDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            new McapClipWriter().Write(drive, file);
            file.Flush(flushToDisk: true);
        }

        await output.WriteLineAsync($"drive: {_samples.Count} samples over {end.TotalSeconds:F1} s ({_tap!.Dropped} dropped) -> {path}").ConfigureAwait(false);
    }

    private void Drain()
    {
        while (_tap!.Reader.TryRead(out var update))
        {
            if (_samples.Count < MaxSamples)
            {
                _samples.Add(update);
            }
        }
    }
}
