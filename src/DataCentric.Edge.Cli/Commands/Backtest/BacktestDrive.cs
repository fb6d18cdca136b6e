using System.Globalization;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers.Backtest;

namespace DataCentric.Edge.Cli.Commands.Backtest;

/// <summary>
/// One drive as the backtest replays it: its samples (the model's replaced when <c>--model</c> is
/// given), the signals it knows, and what a clip of it costs per second, measured where the drive
/// allows (see <see cref="ClipBytesSource"/>).
/// </summary>
internal sealed class BacktestDrive
{
    /// <summary>The engine's fixed estimate, used only when a drive measured nothing.</summary>
    public const double FixedClipBytesPerSecond = 1_500_000;

    private BacktestDrive(FileInfo file, RecordedDrive drive, IReadOnlyList<BacktestSample> samples, IReadOnlyList<(string Name, SignalKind Kind)> signals)
    {
        File = file;
        Drive = drive;
        Samples = samples;
        KnownSignals = signals;
        (ClipBytesPerSecond, ClipBytesSource) = MeasureClipBytes(file, drive);
    }

    public FileInfo File { get; }

    public string Name => File.Name;

    public RecordedDrive Drive { get; }

    public IReadOnlyList<BacktestSample> Samples { get; }

    public IReadOnlyList<(string Name, SignalKind Kind)> KnownSignals { get; }

    public TimeSpan Duration => Samples.Count == 0 ? TimeSpan.Zero : Samples[^1].Time - Samples[0].Time;

    public double ClipBytesPerSecond { get; }

    /// <summary>Where <see cref="ClipBytesPerSecond"/> comes from: measured while recording, the drive's own frames, or the fixed estimate.</summary>
    public string ClipBytesSource { get; }

    /// <exception cref="ReplayException">Unreadable (the message names the file and where), or the model does not fit it.</exception>
    public static BacktestDrive Load(FileInfo file, FileInfo? model, string? modelName, TextWriter progressWriter)
    {
        RecordedDrive drive;
        try
        {
            using var stream = file.OpenRead();
            drive = RecordedDrive.Load(stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ReplayException($"drive {file.FullName}: {e.Message}", e);
        }

        if (model is null)
        {
            return new BacktestDrive(file, drive, drive.Samples, drive.KnownSignals);
        }

        var samples = ModelReplay.Run(file.Name, drive, drive.Samples, model, modelName, ReplayProgress.For(progressWriter, $"{file.Name} through {model.Name}"));
        var known = samples.GroupBy(s => s.Signal, StringComparer.Ordinal).Select(g => (g.Key, g.First().Value.Kind)).ToList();
        return new BacktestDrive(file, drive, samples, known);
    }

    private static (double BytesPerSecond, string Source) MeasureClipBytes(FileInfo file, RecordedDrive drive)
    {
        var seconds = (drive.Content.End - drive.Content.Start).TotalSeconds;
        if (drive.Content.Metadata.TryGetValue(DriveMetadataKeys.ClipBytesPerSecond, out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var measured) && measured > 0)
        {
            return (measured, "measured while recording");
        }

        if (drive.Content.Frames.Count > 0 && seconds > 0)
        {
            return (file.Length / seconds, "the drive's file size per second");
        }

        return (FixedClipBytesPerSecond, "not measured (no frames): fixed estimate");
    }
}
