using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Core.Triggers.Backtest;

/// <summary>
/// A recorded drive (any MCAP file the agent wrote: a clip, or a whole drive recorded with
/// <c>dce-agent record</c>) as backtest input: its signal samples, the signals it knows, and ground
/// truth taken from a boolean signal that is true where the case really happened.
/// </summary>
public sealed class RecordedDrive
{
    private RecordedDrive(ClipContent content)
    {
        Content = content;
        Samples = [.. content.Signals.Select(s => new BacktestSample(s.Sample.Time, s.Name, s.Sample.Value)).OrderBy(s => s.Time)];
        KnownSignals = [.. content.Signals.GroupBy(s => s.Name, StringComparer.Ordinal).Select(g => (g.Key, g.First().Sample.Value.Kind))];
    }

    public ClipContent Content { get; }

    public IReadOnlyList<BacktestSample> Samples { get; }

    public IReadOnlyList<(string Name, SignalKind Kind)> KnownSignals { get; }

    public TimeSpan Duration => Samples.Count == 0 ? TimeSpan.Zero : Samples[^1].Time - Samples[0].Time;

    /// <exception cref="InvalidDataException">Not a readable MCAP recording; the message says where.</exception>
    public static RecordedDrive Load(Stream source) => new(new McapClipReader().Read(source));

    /// <summary>The stretches where <paramref name="truthSignal"/> (a bool) was true.</summary>
    /// <exception cref="InvalidDataException">The signal is absent or not a bool.</exception>
    public IReadOnlyList<GroundTruthInterval> GroundTruth(string truthSignal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(truthSignal);
        var kind = KnownSignals.FirstOrDefault(s => s.Name == truthSignal).Kind;
        if (!KnownSignals.Any(s => s.Name == truthSignal) || kind != SignalKind.Bool)
        {
            throw new InvalidDataException($"The drive has no boolean signal '{truthSignal}' to take ground truth from.");
        }

        var intervals = new List<GroundTruthInterval>();
        TimeSpan? openedAt = null;
        var last = TimeSpan.Zero;
        foreach (var sample in Samples.Where(s => s.Signal == truthSignal))
        {
            if (sample.Value.AsBool && openedAt is null)
            {
                openedAt = sample.Time;
            }
            else if (!sample.Value.AsBool && openedAt is { } start)
            {
                intervals.Add(new GroundTruthInterval(start, sample.Time));
                openedAt = null;
            }

            last = sample.Time;
        }

        if (openedAt is { } open)
        {
            intervals.Add(new GroundTruthInterval(open, last));
        }

        return intervals;
    }
}
