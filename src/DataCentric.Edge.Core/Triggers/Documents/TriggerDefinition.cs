namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>One trigger of a <see cref="TriggerSetDocument"/>, as written.</summary>
public sealed class TriggerDefinition
{
    public string Id { get; set; } = string.Empty;

    public string? Description { get; set; }

    /// <summary>The condition, in the trigger language; fires when it becomes true.</summary>
    public string When { get; set; } = string.Empty;

    /// <summary>Clip time before the moment.</summary>
    public string Pre { get; set; } = "5s";

    /// <summary>Clip time after the moment.</summary>
    public string Post { get; set; } = "5s";

    /// <summary>Least time between two fires of this trigger.</summary>
    public string Cooldown { get; set; } = "10s";

    /// <summary>Higher is kept longer and uploaded first.</summary>
    public int Priority { get; set; }

    /// <summary>Probability (0, 1] that a fire is kept.</summary>
    public double SampleRate { get; set; } = 1;

    public int? MaxPerHour { get; set; }

    public long? MaxBytesPerDay { get; set; }

    public UploadPolicy Upload { get; set; } = UploadPolicy.Immediate;

    public bool Enabled { get; set; } = true;

    /// <summary>Counted and logged, never recorded: to try a trigger on the fleet before paying for it.</summary>
    public bool DryRun { get; set; }

    /// <summary>A fire whose embedding is closer than this (cosine distance) to a recent clip of this trigger is a near-duplicate.</summary>
    public double? MinNovelty { get; set; }
}
