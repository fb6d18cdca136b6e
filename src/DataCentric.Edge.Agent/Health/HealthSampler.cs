using System.Diagnostics;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Device.Inference;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Health;

/// <summary>
/// Reads the pipeline's counters, queues, catalog and data volume into a <see cref="HealthSnapshot"/>.
/// Called on demand (a scrape), so an idle endpoint costs nothing.
/// </summary>
public sealed class HealthSampler : IHealthSummarySource
{
    /// <summary>Beyond this the backlog is reported as "at least" this many; keeps a scrape cheap.</summary>
    public const int MaxBacklogCounted = 10_000;

    private static readonly TimeSpan MinRateWindow = TimeSpan.FromSeconds(1);

    private readonly AgentMetrics _metrics;
    private readonly PipelineChannels _channels;
    private readonly IUploadOutbox _catalog;
    private readonly ComponentHealthRegistry _devices;
    private readonly ShadowModelSet _models;
    private readonly string _dataDirectory;
    private readonly DateTime _processStart;
    private readonly DateTimeOffset _processStartUtc;
    private readonly Lock _gate = new();
    private long _lastTimestamp;
    private long _lastFrames;
    private double _lastFps;

    public HealthSampler(AgentMetrics metrics, PipelineChannels channels, IUploadOutbox catalog, ComponentHealthRegistry devices, ShadowModelSet models, IOptions<AgentOptions> agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _metrics = metrics;
        _channels = channels;
        _catalog = catalog;
        _devices = devices;
        _models = models;
        _dataDirectory = Path.GetFullPath(agent.Value.DataDirectory);
        using var self = Process.GetCurrentProcess();
        _processStart = self.StartTime;
        _processStartUtc = self.StartTime.ToUniversalTime();
        _lastTimestamp = Stopwatch.GetTimestamp() - (long)((DateTime.Now - _processStart).TotalSeconds * Stopwatch.Frequency);
    }

    public HealthSnapshot Sample()
    {
        var (data, free) = DiskUse();
        return new HealthSnapshot(
            FramesPerSecond(),
            _metrics.FramesCaptured,
            _metrics.FramesInferred,
            _metrics.CorruptFrames,
            new Dictionary<string, long>(_metrics.DroppedFrames, StringComparer.Ordinal),
            [.. _models.Models.Select(m => new ModelFigures(
                m.Options.Name, m.Status.Running, m.Status.Failure,
                m.Status.InferenceLatency.Percentile(0.5), m.Status.InferenceLatency.Percentile(0.99), m.Status.FramesInferred, m.Status.FramesDropped)
            {
                Provider = m.Status.Provider,
                ProviderFallback = m.Status.ProviderFallback,
            })],
            new Dictionary<string, int>(StringComparer.Ordinal)
            {
                ["inference"] = _channels.InferenceFrames.Reader.Count,
                ["recorder"] = _channels.RecorderFrames.Reader.Count,
                ["trigger_events"] = _channels.TriggerEvents.Reader.Count,
                ["clips"] = _channels.Clips.Reader.Count,
            },
            data,
            free,
            _catalog.PendingUploads(MaxBacklogCounted).Count,
            _metrics.TriggerEvents,
            _metrics.ClipsStored,
            _metrics.ClipsUploaded,
            _metrics.ClipFailures,
            FirstFrameSeconds(),
            _metrics.TriggerLag?.TotalSeconds,
            _devices.Current);
    }

    public HealthSummary Current()
    {
        var s = Sample();
        return new HealthSummary(
            Math.Round(s.FramesPerSecond, 2),
            [.. s.Models.Select(m => new ModelLatency(m.Name, m.Running, m.P50Seconds * 1000, m.P99Seconds * 1000) { Provider = m.Provider, ProviderFallback = m.ProviderFallback })],
            s.DroppedFrames.Values.Sum(),
            s.UploadBacklogClips,
            s.DataDirectoryBytes,
            s.DataVolumeFreeBytes,
            s.TriggerEvents,
            [
                .. s.Devices.Where(d => d.State != ComponentState.Ok),
                .. s.Models.Where(m => m.Failure is not null).Select(m => new ComponentHealth($"model:{m.Name}", m.Name, ComponentState.Faulted, m.Failure!, _processStartUtc)),
            ])
        {
            InferenceRuntime = _models.Runtime is { } runtime ? new InferenceRuntimeSummary(runtime.Version, runtime.LibraryPath, runtime.Providers) : null,
        };
    }

    /// <summary>
    /// Captured frames per second over the time since the last reading at least a second old, so
    /// two scrapers close together do not see a rate over a few milliseconds.
    /// </summary>
    private double FramesPerSecond()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var frames = _metrics.FramesCaptured;
            var seconds = Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
            if (seconds >= MinRateWindow.TotalSeconds)
            {
                _lastFps = (frames - _lastFrames) / seconds;
                _lastTimestamp = now;
                _lastFrames = frames;
            }

            return _lastFps;
        }
    }

    /// <summary>Seconds from process start to the first frame through the shadow model; null before it.</summary>
    private double? FirstFrameSeconds()
    {
        var first = _metrics.FirstInferredTimestamp;
        if (first == 0)
        {
            return null;
        }

        var firstWall = DateTime.Now - Stopwatch.GetElapsedTime(first);
        return (firstWall - _processStart).TotalSeconds;
    }

    private (long DataBytes, long FreeBytes) DiskUse()
    {
        if (!Directory.Exists(_dataDirectory))
        {
            return (0, 0);
        }

        long data = 0;
        foreach (var file in new DirectoryInfo(_dataDirectory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            try
            {
                data += file.Length;
            }
            catch (FileNotFoundException)
            {
                // Evicted or renamed while we counted.
            }
        }

        return (data, new DriveInfo(_dataDirectory).AvailableFreeSpace);
    }
}
