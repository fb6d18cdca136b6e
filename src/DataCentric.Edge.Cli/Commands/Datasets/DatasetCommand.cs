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
        dataset.Subcommands.Add(StandInReview(output, error));
        return dataset;
    }

    /// <summary><c>edgectl dataset review-standin DATASET --signal truth.boxes --out reviewed.json</c>: see <see cref="SignalReview"/>.</summary>
    private static Command StandInReview(TextWriter output, TextWriter error)
    {
        var dataset = new Argument<DirectoryInfo>("dataset") { Description = "The dataset folder 'edgectl dataset build' wrote" };
        var signal = new Option<string>("--signal") { Description = "The clips' detections signal that plays the reviewer", DefaultValueFactory = _ => "truth.boxes" };
        var labels = new Option<FileInfo?>("--labels") { Description = "Class names, one per line in class id order" };
        var outFile = new Option<FileInfo>("--out") { Description = "The Label Studio JSON export to write", Required = true };
        var command = new Command("review-standin", "Demo and tests: write a Label Studio export whose annotations are a clip signal's boxes (the synthetic scene's truth), as if people had reviewed the dataset")
        {
            dataset, signal, labels, outFile,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            try
            {
                var count = await SignalReview.WriteAsync(
                    parse.GetValue(dataset)!.FullName, parse.GetRequiredValue(signal), Prelabels.ClassNames.Load(parse.GetValue(labels)), parse.GetValue(outFile)!.FullName, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{count} frames reviewed by {parse.GetRequiredValue(signal)} -> {parse.GetValue(outFile)!.FullName}").ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is Prelabels.PrelabelInputException or System.Text.Json.JsonException)
            {
                throw new UsageException("cannot write the stand-in review: " + e.Message);
            }
        }));
        return command;
    }
}
