namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>The draft-label formats <c>edgectl clips export --format</c> writes.</summary>
internal enum PrelabelFormat
{
    Coco,
    LabelStudio,
    Yolo,
}
