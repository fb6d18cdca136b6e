using DataCentric.Edge.Cli.Commands.Prelabels;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>What <c>edgectl dataset build</c> was asked for.</summary>
internal sealed record DatasetBuildSettings(
    string DatasetId,
    string Source,
    PrelabelFormat Format,
    ClipFrameLabeller Labeller,
    ClassNames Classes,
    string? ImageUrlBase,
    DatasetFilter Filter,
    int Count,
    int? PerDevice,
    int? PerTrigger,
    string EmbeddingSignal,
    double? DuplicateDistance);
