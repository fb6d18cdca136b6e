using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording.Mcap;
using DataCentric.Edge.Core.Signals;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>
/// An MCAP clip the recorder produced, loaded once and replayed as a drive: its frames by
/// <see cref="RecordingFrameSource"/>, its sensor and controller signals by
/// <see cref="RecordingSignalSource"/>, both on one time line that starts when the first of them
/// starts. Model outputs (<c>shadow.*</c>) are not replayed: the live model computes them again.
/// </summary>
public sealed class RecordingReplay(CameraSourceOptions options)
{
    private readonly Lazy<ClipContent> _clip = new(() => Load(options.Path));
    private readonly Lock _lock = new();
    private TimeSpan? _anchor;

    public CameraSourceOptions Options => options;

    /// <exception cref="FrameSourceException">The file is missing or is not a clip the recorder wrote.</exception>
    public ClipContent Clip => _clip.Value;

    /// <summary>The agent time at which the clip's start is replayed; fixed by the first caller.</summary>
    public TimeSpan AnchorAt(TimeSpan now)
    {
        lock (_lock)
        {
            _anchor ??= now;
            return _anchor.Value;
        }
    }

    /// <summary>Moves the time line on by one clip length, for looping.</summary>
    public void Advance(TimeSpan now)
    {
        lock (_lock)
        {
            var length = Clip.End - Clip.Start;
            _anchor = _anchor is { } a && a + length > now ? a + length : now;
        }
    }

    public TimeSpan Length => Clip.End - Clip.Start;

    public static bool IsReplayed(string signalName) => !SignalPrefixes.IsModelOutput(signalName);

    private static ClipContent Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FrameSourceException("missing-file", $"Recording '{path}' does not exist");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return new McapClipReader().Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new FrameSourceException("not-a-recording", $"'{path}' is not a clip the recorder wrote: {e.Message}", e);
        }
    }
}
