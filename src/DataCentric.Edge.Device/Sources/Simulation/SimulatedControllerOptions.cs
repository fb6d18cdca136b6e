using System.ComponentModel.DataAnnotations;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>
/// The simulated primary controller: brakes for obstacles after a reaction time, except in the
/// episodes it misses. Which episodes it misses is known, so tests can check every clip.
/// </summary>
public sealed class SimulatedControllerOptions
{
    public const string SectionName = "Sources:SimulatedController";

    [Range(1, 1000)]
    public double PublishHz { get; set; } = 20;

    [AllowZeroDuration]
    public TimeSpan ReactionTime { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Episodes (0-based) the controller misses. When empty, <see cref="MissProbability"/> decides.</summary>
    public IList<int> MissedEpisodes { get; } = [];

    [Range(0.0, 1.0)]
    public double MissProbability { get; set; } = 0.4;

    /// <summary>Standard deviation of the noise on <c>primary.steer</c>.</summary>
    [Range(0.0, 1.0)]
    public double SteerNoise { get; set; } = 0.02;

    /// <summary>The controller's perception reports obstacles nearer than this (the scene's obstacles start 60 m away).</summary>
    [Range(4.0, 1000.0)]
    public double PerceptionRangeMetres { get; set; } = 40;

    /// <summary>Standard deviation of each box edge of <c>primary.boxes</c>, as a share of the box's size.</summary>
    [Range(0.0, 1.0)]
    public double BoxJitter { get; set; } = 0.04;

    /// <summary>Episodes (0-based) whose obstacle the controller calls a pedestrian. When empty, <see cref="WrongClassProbability"/> decides.</summary>
    public IList<int> WrongClassEpisodes { get; } = [];

    [Range(0.0, 1.0)]
    public double WrongClassProbability { get; set; } = 0.2;

    /// <summary>With the default 0.4, seed 9 misses episodes 0, 2, 3, 6, 8, 11...: a first clip within seconds.</summary>
    public int Seed { get; set; } = 9;
}
