namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>Something in the input a dataset command skipped or changed, with the file and the frame (image or task) it is about.</summary>
internal sealed record DatasetProblem(string File, string? Frame, string Message)
{
    public override string ToString() => Frame is null ? $"{File}: {Message}" : $"{File}: {Frame}: {Message}";
}
