namespace DataCentric.Edge.Core.Triggers.Engine;

/// <summary>Knobs of the trigger engine that are not part of a trigger set.</summary>
public sealed class TriggerEngineOptions
{
    public const string SectionName = "Triggers";

    /// <summary>Clip size estimate per second of clip, for <c>maxBytesPerDay</c> when no estimator is given.</summary>
    public long EstimatedClipBytesPerSecond { get; set; } = 1_500_000;

    /// <summary>Estimated bytes of a clip of one trigger; by default (pre + post) × <see cref="EstimatedClipBytesPerSecond"/>.</summary>
    public Func<CompiledTrigger, long>? EstimateClipBytes { get; set; }

    /// <summary>Randomness for <c>sampleRate</c>; inject a seeded one in tests and backtests.</summary>
    public Random? Random { get; set; }
}
