using System.ComponentModel.DataAnnotations;

namespace DataCentric.Edge.Device.Sources.Camera;

/// <summary>Which frame source the agent reads.</summary>
public enum FrameSourceKind
{
    /// <summary>The synthetic road scene (the demo and the default).</summary>
    Synthetic,

    /// <summary>A V4L2 camera (<c>/dev/videoN</c>) through Iot.Device.Bindings' <c>VideoDevice</c>.</summary>
    V4l2,

    /// <summary>A Raspberry Pi camera module through the libcamera apps (Iot.Device.Camera).</summary>
    Libcamera,

    /// <summary>A video file decoded by ffmpeg.</summary>
    VideoFile,

    /// <summary>A folder of images decoded by ffmpeg, in name order.</summary>
    ImageFolder,

    /// <summary>An MCAP clip the recorder produced, replayed as a drive.</summary>
    Recording,
}

/// <summary>The pixel format asked of a V4L2 camera.</summary>
public enum CameraPixelFormat
{
    /// <summary>The camera compresses; frames pass through untouched (cheapest).</summary>
    Mjpeg,

    /// <summary>Raw YUV 4:2:2; the agent encodes each frame to JPEG.</summary>
    Yuyv,
}

/// <summary>How a file or recording is replayed.</summary>
public enum ReplayPacing
{
    /// <summary>Frames are delivered at the rate they were recorded.</summary>
    RealTime,

    /// <summary>Frames are delivered as fast as the pipeline takes them (tests, dry runs).</summary>
    AsFastAsPossible,
}

/// <summary>The camera or its stand-in. Only the settings of the chosen <see cref="Kind"/> are used.</summary>
public sealed class CameraSourceOptions : IValidatableObject
{
    public const string SectionName = "Sources:Camera";

    public FrameSourceKind Kind { get; set; } = FrameSourceKind.Synthetic;

    [Range(32, 8192)]
    public int Width { get; set; } = 1280;

    [Range(32, 8192)]
    public int Height { get; set; } = 720;

    [Range(1, 240)]
    public int FramesPerSecond { get; set; } = 30;

    /// <summary>V4L2: the N of <c>/dev/videoN</c>.</summary>
    [Range(0, 255)]
    public int V4l2BusId { get; set; }

    public CameraPixelFormat PixelFormat { get; set; } = CameraPixelFormat.Mjpeg;

    /// <summary>JPEG quality when the agent encodes (YUYV frames, libcamera MJPEG, ffmpeg).</summary>
    [Range(10, 100)]
    public int JpegQuality { get; set; } = 80;

    /// <summary>libcamera: the app that streams MJPEG (<c>rpicam-vid</c>, formerly <c>libcamera-vid</c>).</summary>
    [Required]
    public string LibcameraApp { get; set; } = "rpicam-vid";

    /// <summary>libcamera: which camera module.</summary>
    [Range(0, 16)]
    public int LibcameraIndex { get; set; }

    /// <summary>VideoFile, ImageFolder, Recording: the file or folder to replay.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>ImageFolder: which files, as an ffmpeg glob.</summary>
    [Required]
    public string ImagePattern { get; set; } = "*.jpg";

    public ReplayPacing Pacing { get; set; } = ReplayPacing.RealTime;

    /// <summary>Start again from the beginning at the end of a file or recording.</summary>
    public bool Loop { get; set; }

    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>Threads a decoder (ffmpeg, YUYV encoding) may use: the controller's CPU comes first.</summary>
    [Range(1, 16)]
    public int DecodeThreads { get; set; } = 1;

    /// <summary>Frames a source holds between its reader thread and the pipeline; beyond this the oldest is dropped (counted).</summary>
    [Range(1, 256)]
    public int QueueCapacity { get; set; } = 4;

    /// <summary>A frame larger than this is garbage, not a picture.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>First wait before reopening a camera that failed; doubles up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind is FrameSourceKind.VideoFile or FrameSourceKind.ImageFolder or FrameSourceKind.Recording && string.IsNullOrWhiteSpace(Path))
        {
            yield return new ValidationResult($"Path is required when Kind is {Kind}", [nameof(Path)]);
        }

        if (RetryMaxDelay < RetryInitialDelay)
        {
            yield return new ValidationResult($"RetryMaxDelay ({RetryMaxDelay}) is shorter than RetryInitialDelay ({RetryInitialDelay})", [nameof(RetryMaxDelay)]);
        }

        if (PixelFormat == CameraPixelFormat.Yuyv && Width % 2 != 0)
        {
            yield return new ValidationResult($"Width {Width} must be even for YUYV (two pixels share one U and V)", [nameof(Width)]);
        }
    }
}
