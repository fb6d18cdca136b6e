namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>A clip file a dataset may take frames from, with what its catalog says about it (null: not known before reading it).</summary>
internal sealed record SourceClip(string Path, string? Device, IReadOnlyList<string>? TriggerIds, DateTimeOffset? StartWall, DateTimeOffset? EndWall);
