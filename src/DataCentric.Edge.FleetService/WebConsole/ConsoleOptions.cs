namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>The web console (<c>Console</c> section): live updates and the clip view's frame cache.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>How often a live-update stream sends a comment line when nothing happened (proxies close silent streams).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Updates held for one slow browser; past this the oldest is dropped and the page is told to reload.</summary>
    public int ClientQueueCapacity { get; set; } = 64;

    /// <summary>Live-update streams at once; one more is answered 503.</summary>
    public int MaxClients { get; set; } = 100;

    /// <summary>How often an open pull page's stream re-reads the queue and its progress from the catalog.</summary>
    public TimeSpan PullPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Decoded clips kept in memory for the clip view, by their file size (frames are served from here).</summary>
    public long ClipCacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>A clip larger than this is not decoded for the clip view (it is still downloadable).</summary>
    public long MaxViewedClipBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>The ffmpeg executable the clip view's MP4 download runs (a name on PATH, or a path).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>MP4 encodes at once (each is an ffmpeg process); one more is answered 429.</summary>
    public int MaxMp4Encodes { get; set; } = 2;
}
