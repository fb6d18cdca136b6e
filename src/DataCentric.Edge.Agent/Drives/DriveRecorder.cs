using DataCentric.Edge.Core.Storage;
using System.Globalization;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Uplink.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Drives;

/// <summary>
/// Records drives from the running agent: every signal the bus carries (model outputs, controller
/// decisions, sensors) and, when asked, the camera frames, streamed into one MCAP file
/// (<see cref="McapDriveWriter"/>) for <c>edgectl triggers test</c>. One recording at a time; it
/// ends after its duration, at the disk budget (<see cref="DriveBudget"/>) or at shutdown, and the
/// drive says which. Written as <c>.mcap.tmp</c>, synced and renamed: a drive file is complete.
/// </summary>
public sealed partial class DriveRecorder(
    SignalBus bus,
    DriveFrameTap frames,
    MonotonicClock clock,
    ClipMetadata clipMetadata,
    IConfiguration configuration,
    IOptions<DriveOptions> driveOptions,
    IOptions<StorageOptions> storageOptions,
    IOptions<AgentOptions> agentOptions,
    ILogger<DriveRecorder> logger) : IDriveRecorder, IHostedService
{
    private static readonly TimeSpan DrainPeriod = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DiskCheckPeriod = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task<DriveOutcome>? _running;
    private DriveRecordingResult? _current;

    /// <summary>The folder drives go to: <c>Drives:Directory</c>, or <c>drives</c> in the data directory.</summary>
    public string Directory => Path.GetFullPath(driveOptions.Value.Directory is { Length: > 0 } configured
        ? configured
        : Path.Combine(agentOptions.Value.DataDirectory, "drives"));

    /// <summary>The recording under way or last finished; null before the first.</summary>
    public Task<DriveOutcome>? Completion
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    public DriveRecordingResult Start(TimeSpan duration, bool keepFrames) => Start(duration, keepFrames, null);

    /// <param name="path">A folder for the drive, or a <c>.mcap</c> file; null: <see cref="Directory"/>.</param>
    /// <exception cref="DriveRefusedException">Out of range, already recording, or no disk budget left; nothing is written.</exception>
    public DriveRecordingResult Start(TimeSpan duration, bool keepFrames, string? path)
    {
        var options = driveOptions.Value;
        if (duration <= TimeSpan.Zero || duration > options.MaxDuration)
        {
            throw new DriveRefusedException(string.Create(
                CultureInfo.InvariantCulture,
                $"a drive lasts more than 0 and at most {options.MaxDuration.TotalMinutes:0.##} minutes (Drives:MaxDuration), not {duration.TotalMinutes:0.##}"));
        }

        lock (_lock)
        {
            if (_running is { IsCompleted: false } && _current is { } current)
            {
                throw new DriveRefusedException($"drive {current.DriveId} is already recording, until {current.To:O}");
            }

            if (_stopping.IsCancellationRequested)
            {
                throw new DriveRefusedException("the agent is stopping");
            }

            var start = clock.Now;
            var wallStart = clock.ToWallClock(start);
            var driveId = string.Create(CultureInfo.InvariantCulture, $"drive-{wallStart.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}");
            var file = path is not null && path.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase)
                ? Path.GetFullPath(path)
                : Path.Combine(path is null ? Directory : Path.GetFullPath(path), driveId + ".mcap");
            var folder = Path.GetDirectoryName(file)!;
            DirectorySync.CreateDurably(folder);
            var budget = DriveBudget.Measure(folder, ClipDirectory, options, storageOptions.Value);
            if (budget.AllowedBytes < DriveBudget.MinimumBytes)
            {
                throw new DriveRefusedException($"no disk budget left for a drive: {budget.Limit}");
            }

            var result = new DriveRecordingResult(driveId, file, wallStart, wallStart + duration, keepFrames, budget.AllowedBytes);
            var run = new DriveRun(result, start, start + duration, budget);
            _current = result;
            _running = Task.Run(() => RecordAsync(run, _stopping.Token));
            LogStarted(driveId, file, duration, keepFrames, budget.AllowedBytes, budget.Limit);
            return result;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Ends a recording under way and waits for its file to be finished (valid, saying it was cut short).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (Completion is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private string ClipDirectory => Path.Combine(Path.GetFullPath(agentOptions.Value.DataDirectory), "clips");

    private async Task<DriveOutcome> RecordAsync(DriveRun run, CancellationToken stopping)
    {
        var temp = run.Result.Path + ".tmp";
        var tap = bus.OpenTap(capacity: 65_536);
        var frameReader = frames.Open(driveOptions.Value.FrameQueue);
        string reason;
        McapDriveWriter? writer = null;
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.Read))
            {
                writer = new McapDriveWriter(file, run.Result.DriveId, run.Start, run.Result.From, run.Result.Frames);
                reason = await DrainUntilDoneAsync(run, writer, tap, frameReader, stopping).ConfigureAwait(false);
                bus.CloseTap(tap);
                frames.Close();
                Drain(writer, tap, frameReader);
                writer.Finish(Min(clock.Now, run.End), Metadata(reason, tap.Dropped));
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, run.Result.Path, overwrite: true);

            // The rename is what makes the drive visible: without this sync a power loss can undo it.
            DirectorySync.Sync(Path.GetDirectoryName(run.Result.Path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(run.Result.DriveId, temp, e.Message);
            TryDelete(temp);
            return new DriveOutcome(run.Result, null, $"not written: {e.Message}", 0, 0, 0);
        }
        finally
        {
            bus.CloseTap(tap);
            frames.Close();
            writer?.Dispose();
        }

        var bytes = new FileInfo(run.Result.Path).Length;
        LogFinished(run.Result.DriveId, run.Result.Path, reason, writer.Samples, writer.FramesKept, bytes);
        return new DriveOutcome(run.Result, run.Result.Path, reason, writer.Samples, writer.FramesKept, bytes);
    }

    /// <summary>Moves what the bus and camera delivered into the file until the drive's end, its budget, or shutdown; returns which.</summary>
    private async Task<string> DrainUntilDoneAsync(DriveRun run, McapDriveWriter writer, SignalTap tap, System.Threading.Channels.ChannelReader<Frame> frameReader, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(DrainPeriod, clock.TimeProvider);
        var nextDiskCheck = clock.Now + DiskCheckPeriod;
        try
        {
            while (true)
            {
                Drain(writer, tap, frameReader);
                if (writer.BytesWritten >= run.Budget.AllowedBytes)
                {
                    return $"stopped at the disk budget ({run.Budget.AllowedBytes} bytes): {run.Budget.Limit}";
                }

                if (clock.Now >= nextDiskCheck)
                {
                    nextDiskCheck = clock.Now + DiskCheckPeriod;
                    var (room, limit) = DriveBudget.DiskRoom(Path.GetDirectoryName(run.Result.Path)!, ClipDirectory, storageOptions.Value);
                    if (room <= 0)
                    {
                        return $"stopped to keep the clip buffer's disk space: {limit}";
                    }
                }

                if (clock.Now >= run.End)
                {
                    return "completed";
                }

                await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return "cut short: the agent stopped";
        }
    }

    private static void Drain(McapDriveWriter writer, SignalTap tap, System.Threading.Channels.ChannelReader<Frame> frameReader)
    {
        while (frameReader.TryRead(out var frame))
        {
            writer.Add(frame);
        }

        while (tap.Reader.TryRead(out var update))
        {
            writer.Add(update);
        }
    }

    /// <summary>The clip metadata (device, models), why it ended, what was dropped, and the models' configuration for a replay.</summary>
    private List<KeyValuePair<string, string>> Metadata(string reason, long droppedSamples)
    {
        var values = new List<KeyValuePair<string, string>>(clipMetadata.Values)
        {
            new(DriveMetadataKeys.StopReason, reason),
            new(DriveMetadataKeys.DroppedSamples, droppedSamples.ToString(CultureInfo.InvariantCulture)),
            new(DriveMetadataKeys.DroppedFrames, frames.Dropped.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var (key, value) in configuration.GetSection("Inference").AsEnumerable())
        {
            if (value is not null)
            {
                values.Add(new(DriveMetadataKeys.InferenceConfigPrefix + key, value));
            }
        }

        return values;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Reported above; a leftover .tmp counts against the budget until removed.
        }
    }

    private sealed record DriveRun(DriveRecordingResult Result, TimeSpan Start, TimeSpan End, DriveBudget Budget);

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Drive {DriveId} recording to {Path} for {Duration} (frames: {Frames}, budget {BudgetBytes} bytes: {Limit})")]
    private partial void LogStarted(string driveId, string path, TimeSpan duration, bool frames, long budgetBytes, string limit);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Drive {DriveId} written to {Path}: {Reason}; {Samples} samples, {Frames} frames, {Bytes} bytes")]
    private partial void LogFinished(string driveId, string path, string reason, long samples, long frames, long bytes);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Drive {DriveId} not written ({Path}): {Reason}")]
    private partial void LogFailed(string driveId, string path, string reason);
}

/// <summary>How a recording ended.</summary>
/// <param name="Path">The drive file; null when it could not be written.</param>
public sealed record DriveOutcome(DriveRecordingResult Recording, string? Path, string Reason, long Samples, long FramesKept, long Bytes);
