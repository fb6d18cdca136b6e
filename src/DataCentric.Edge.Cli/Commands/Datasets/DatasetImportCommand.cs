using System.CommandLine;
using DataCentric.Edge.Cli.Commands.Prelabels;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// <c>edgectl dataset import DATASET REVIEWED.json [--catalog DIR | --api URL]</c>: reviewed labels
/// (Label Studio's JSON export or COCO) against the dataset's shadow boxes and triggers; the report is
/// printed, written with <c>--report</c>, and kept in the catalog given.
/// </summary>
internal static class DatasetImportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var dataset = new Argument<DirectoryInfo>("dataset") { Description = "The dataset folder 'edgectl dataset build' wrote" };
        var labels = new Argument<FileInfo>("reviewed") { Description = "The reviewed labels: Label Studio's JSON export or a COCO file" };
        var catalog = new Option<DirectoryInfo?>("--catalog") { Description = "Keep the report in this local catalog (its reports/ folder)" };
        var report = new Option<FileInfo?>("--report") { Description = "Also write the report (JSON) to this file" };
        var api = new FleetApiConnection(apiFromEnvironment: false);
        api.Api.Description = "Keep the report in the fleet catalog through the fleet service's API at this URL (an operator token)";
        var command = new Command("import", "Import reviewed labels: how often the shadow model and each trigger were right");
        command.Arguments.Add(dataset);
        command.Arguments.Add(labels);
        command.Options.Add(catalog);
        command.Options.Add(report);
        api.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(catalog) is not null && result.GetValue(api.Api) is not null)
            {
                result.AddError("Keep the report in one catalog: --catalog <dir> or --api <url>.");
            }
        });
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var reviewed = parse.GetValue(labels)!;
            DatasetImport import;
            try
            {
                if (!reviewed.Exists)
                {
                    throw new PrelabelInputException($"{reviewed.FullName}: no such file.");
                }

                import = DatasetImport.Run(DatasetFrames.Load(parse.GetValue(dataset)!.FullName), reviewed.FullName);
            }
            catch (PrelabelInputException e)
            {
                throw new UsageException("cannot import: " + e.Message);
            }

            foreach (var problem in import.Problems)
            {
                await error.WriteLineAsync("edgectl: " + problem).ConfigureAwait(false);
            }

            var json = import.ToJson();
            await output.WriteLineAsync(import.Summary).ConfigureAwait(false);
            foreach (var (trigger, agreement) in import.ByTrigger)
            {
                await output.WriteLineAsync(
                    $"  trigger {trigger}: {DatasetImport.Percent(agreement.TriggerPrecision)} real mistakes ({agreement.EventsTrue} of {agreement.EventsJudged} events judged at their moment, {agreement.Events} in all); model right {DatasetImport.Percent(agreement.ModelRightRate)} of its {agreement.Frames} frames").ConfigureAwait(false);
            }

            foreach (var (model, agreement) in import.ByModel)
            {
                await output.WriteLineAsync(
                    $"  model {model}: right {DatasetImport.Percent(agreement.ModelRightRate)}, box precision {DatasetImport.Percent(agreement.Precision)}, recall {DatasetImport.Percent(agreement.Recall)}, class accuracy {DatasetImport.Percent(agreement.ClassAccuracy)}").ConfigureAwait(false);
            }

            if (parse.GetValue(report) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, json, cancellationToken).ConfigureAwait(false);
            }

            if (parse.GetValue(catalog) is { } local)
            {
                var stored = await ReportStore.SaveLocalAsync(local.FullName, import.ReportId, json, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"report {import.ReportId} stored in {stored}").ConfigureAwait(false);
            }
            else if (parse.GetValue(api.Api) is not null)
            {
                using var client = api.Connect(parse);
                var stored = await ReportStore.SaveFleetAsync(client, json, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"report {import.ReportId} stored at {stored}").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }
}
