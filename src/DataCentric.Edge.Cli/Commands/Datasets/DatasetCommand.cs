using System.CommandLine;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary><c>edgectl dataset build|import</c>: training data from the catalog's clips, and the reviewed labels back.</summary>
internal static class DatasetCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dataset = new Command("dataset", "Datasets: pick diverse frames from the catalog with draft labels, import the reviewed labels");
        dataset.Subcommands.Add(DatasetBuildCommand.Create(output, error));
        dataset.Subcommands.Add(DatasetImportCommand.Create(output, error));
        return dataset;
    }
}
