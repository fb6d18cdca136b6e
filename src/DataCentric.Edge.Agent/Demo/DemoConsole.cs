using System.Globalization;
using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Receiver;

namespace DataCentric.Edge.Agent.Demo;

/// <summary>What the demo prints: each trigger as it fires, each clip as it arrives, and a summary.</summary>
public sealed class DemoConsole
{
    private readonly TextWriter _output;
    private readonly Lock _lock = new();
    private int _triggers;
    private int _clips;
    private long _bytes;

    public DemoConsole(TextWriter output, PipelineEvents events)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(events);
        _output = output;
        events.TriggerFired += OnTriggerFired;
    }

    public int Triggers => _triggers;

    public int ClipsReceived => _clips;

    public long BytesReceived => Interlocked.Read(ref _bytes);

    public void OnClipReceived(ReceivedClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        Interlocked.Increment(ref _clips);
        Interlocked.Add(ref _bytes, clip.Manifest.SizeBytes);
        var m = clip.Manifest;
        Write($"clip     {m.ClipId}  trigger {string.Join(",", m.TriggerIds)}  {m.FrameCount} frames  {m.SizeBytes} bytes  sha256 {m.Sha256[..12]}…  -> {clip.Path}");
    }

    /// <summary>Where the demo's broker listens, and one edgectl line that reaches it (the port may be random).</summary>
    public void OnBrokerStarted(string host, int port, FleetTopics topics)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(topics);
        var address = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        Write($"broker   {address}  (in this process, until the demo stops)  fleet {topics.Fleet}  device {topics.Device}");
        Write($"try      edgectl devices --broker {address} --fleet {topics.Fleet}");
    }

    /// <summary>Where the fleet console answers (<c>demo --console</c>) and the token that signs in to it.</summary>
    public void OnFleetConsoleStarted(Uri consoleUrl, string token, int processId)
    {
        ArgumentNullException.ThrowIfNull(consoleUrl);
        Write(string.Create(CultureInfo.InvariantCulture, $"console  {consoleUrl}  token {token}  (dce-fleet, pid {processId}, until the demo stops)"));
    }

    /// <summary>A line about the fleet console's start (which dce-fleet, a build under way).</summary>
    public void OnFleetConsoleNote(string note) => Write($"console  {note}");

    public void WriteSummary() => Write($"demo: {_triggers} triggers, {_clips} clips received, {BytesReceived} bytes");

    private void OnTriggerFired(TriggerEvent e)
    {
        Interlocked.Increment(ref _triggers);
        var ids = string.Join(",", e.Triggers.Select(t => t.TriggerId));
        Write($"trigger  {e.WallClock.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}  {ids}{(e.DryRun ? " (dry run)" : string.Empty)}  event {e.EventId}");
    }

    private void Write(string line)
    {
        lock (_lock)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }
}
