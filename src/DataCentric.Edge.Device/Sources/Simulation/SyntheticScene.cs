using DataCentric.Edge.Core.Configuration;
namespace DataCentric.Edge.Device.Sources.Simulation;

/// <summary>Where the obstacle is at a given time; the ground truth the simulated controller and the tests use.</summary>
public readonly record struct SceneState(int Episode, bool ObstaclePresent, double DistanceMetres, bool ObstacleAhead, double RoadOffset);

/// <summary>
/// The synthetic scene as a pure function of monotonic time, so the camera, the simulated
/// controller and the tests agree on the truth without sharing mutable state.
/// </summary>
public sealed class SyntheticScene
{
    public const double FarMetres = 60;
    public const double NearMetres = 4;

    public SyntheticScene(SyntheticSceneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ApproachDuration <= TimeSpan.Zero || options.StandDuration < TimeSpan.Zero)
        {
            throw new ArgumentException("Synthetic scene: ApproachDuration must be positive and StandDuration not negative.", nameof(options));
        }

        if (options.ApproachDuration + options.StandDuration > options.EpisodePeriod)
        {
            throw new ArgumentException("Synthetic scene: ApproachDuration + StandDuration must fit in EpisodePeriod.", nameof(options));
        }

        Options = options;
    }

    public SyntheticSceneOptions Options { get; }

    public SceneState StateAt(TimeSpan time)
    {
        // Lane markings scroll at a constant speed so consecutive frames differ.
        var roadOffset = time.TotalSeconds * 1.7 % 1.0;
        var sinceFirst = time - Options.FirstEpisodeAt;
        if (sinceFirst < TimeSpan.Zero)
        {
            return new SceneState(-1, false, double.PositiveInfinity, false, roadOffset);
        }

        var episode = (int)(sinceFirst.Ticks / Options.EpisodePeriod.Ticks);
        var intoEpisode = sinceFirst - (episode * Options.EpisodePeriod);
        if (intoEpisode >= Options.ApproachDuration + Options.StandDuration)
        {
            return new SceneState(episode, false, double.PositiveInfinity, false, roadOffset);
        }

        // Fast far away, slow when near: distance falls with the square of the remaining approach.
        var progress = Math.Min(1.0, intoEpisode / Options.ApproachDuration);
        var remaining = 1.0 - progress;
        var distance = NearMetres + ((FarMetres - NearMetres) * remaining * remaining);
        return new SceneState(episode, true, distance, distance < Options.ObstacleAheadMetres, roadOffset);
    }

    /// <summary>The time the obstacle of an episode first comes nearer than the "ahead" distance.</summary>
    public TimeSpan AheadStartOf(int episode)
    {
        var remaining = Math.Sqrt((Options.ObstacleAheadMetres - NearMetres) / (FarMetres - NearMetres));
        return Options.FirstEpisodeAt + (episode * Options.EpisodePeriod) + ((1.0 - remaining) * Options.ApproachDuration);
    }

    public TimeSpan EpisodeEndOf(int episode) =>
        Options.FirstEpisodeAt + (episode * Options.EpisodePeriod) + Options.ApproachDuration + Options.StandDuration;
}
