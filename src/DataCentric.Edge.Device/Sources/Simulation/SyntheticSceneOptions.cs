using System.ComponentModel.DataAnnotations;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>
/// A procedural road seen from the ego vehicle. Obstacles come in episodes: episode k starts at
/// <see cref="FirstEpisodeAt"/> + k × <see cref="EpisodePeriod"/>, approaches for
/// <see cref="ApproachDuration"/>, stands close for <see cref="StandDuration"/>, then leaves.
/// </summary>
public sealed class SyntheticSceneOptions
{
    public const string SectionName = "Sources:Synthetic";

    [Range(32, 4096)]
    public int Width { get; set; } = 640;

    [Range(32, 4096)]
    public int Height { get; set; } = 480;

    [Range(1, 120)]
    public double FramesPerSecond { get; set; } = 15;

    [Range(10, 100)]
    public int JpegQuality { get; set; } = 80;

    [AllowZeroDuration]
    public TimeSpan FirstEpisodeAt { get; set; } = TimeSpan.FromSeconds(1.5);

    public TimeSpan EpisodePeriod { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ApproachDuration { get; set; } = TimeSpan.FromSeconds(2.5);

    [AllowZeroDuration]
    public TimeSpan StandDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An obstacle nearer than this is "ahead" in the ground truth.</summary>
    [Range(4.0, 60.0)]
    public double ObstacleAheadMetres { get; set; } = 12;
}
