using System.CommandLine;
using System.Globalization;
using DataCentric.Edge.Cli.Commands.Prelabels;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>
/// <c>edgectl dataset build --catalog DIR | --api URL --out DIR --format ... --frames N</c>: frames picked
/// from the catalog's clips by filter, quotas and diversity, written like <c>clips export --format</c>
/// plus <c>dataset.json</c> (the report) and <c>review-frames.jsonl</c> (for <c>dataset import</c>).
/// </summary>
internal static class DatasetBuildCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var prelabels = new PrelabelExportOptions();
        var api = new FleetApiConnection(apiFromEnvironment: false);
        var catalog = new Option<DirectoryInfo?>("--catalog") { Description = "The local catalog: the folder clips are received into (edgectl receive, the demo's --out), or any folder of clips" };
        var fleet = new Option<string?>("--fleet") { Description = "With --api: only this fleet" };
        var devices = new Option<string[]>("--device") { Description = "Only these devices (repeat)", AllowMultipleArgumentsPerToken = true };
        var triggers = new Option<string[]>("--trigger") { Description = "Only clips of these triggers (repeat)", AllowMultipleArgumentsPerToken = true };
        var from = WallClockArgument.Option("--from", "Only frames from this time");
        var to = WallClockArgument.Option("--to", "Only frames up to this time");
        var model = new Option<string?>("--model") { Description = "Only clips of this shadow model (SHA-256 or a prefix of it, or its name)" };
        var classes = new Option<string[]>("--class") { Description = "Only frames with a shadow box of these classes (repeat)", AllowMultipleArgumentsPerToken = true };
        var minScore = new Option<double?>("--min-score") { Description = "Only frames with a shadow box scored at least this" };
        var maxScore = new Option<double?>("--max-score") { Description = "Only frames with a shadow box scored at most this (e.g. 0.6: the unsure ones)" };
        var frames = new Option<int>("--frames") { Description = "How many frames to pick", DefaultValueFactory = _ => 300 };
        var perDevice = new Option<int?>("--per-device") { Description = "At most this many frames from one device" };
        var perTrigger = new Option<int?>("--per-trigger") { Description = "At most this many frames of one trigger" };
        var embedding = new Option<string>("--embedding-signal") { Description = "The shadow embedding to compare frames by", DefaultValueFactory = _ => "shadow.embedding" };
        var duplicate = new Option<double?>("--duplicate-distance")
        {
            Description = "Frames closer than this (unit-length features, 0..2) count as near-duplicates in the report (default: a tenth of the mean distance between two candidate frames)",
        };
        var name = new Option<string?>("--name") { Description = "The dataset's name (default: the --out folder's name)" };
        var camera = new Option<string>("--camera") { Description = "Which camera of the clips", DefaultValueFactory = _ => "camera" };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "With --api: where downloaded clips are kept (default: a temporary folder, removed afterwards)" };

        frames.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--frames: {result.GetValueOrDefault<int>().ToString(CultureInfo.InvariantCulture)} is not a positive number of frames.");
            }
        });
        duplicate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } d && (d < 0 || !double.IsFinite(d)))
            {
                result.AddError($"--duplicate-distance: {d.ToString(CultureInfo.InvariantCulture)} is not a distance ≥ 0.");
            }
        });
        api.Api.Description = "Take the clips from the fleet service's API at this URL (e.g. http://127.0.0.1:8480) instead of a local catalog";
        var command = new Command("build", "Pick diverse frames from the catalog (filters, quotas, farthest-point sampling on the shadow embeddings) and write them with draft labels");
        api.AddTo(command);
        foreach (var option in new Option[] { catalog, fleet, devices, triggers, from, to, model, classes, minScore, maxScore, frames, perDevice, perTrigger, embedding, duplicate, name, camera, cache })
        {
            command.Options.Add(option);
        }

        foreach (var option in prelabels.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if ((result.GetValue(catalog) is null) == (result.GetValue(api.Api) is null))
            {
                result.AddError("Say where the clips are: --catalog <dir> (the local catalog) or --api <url> (the fleet service), one of them.");
            }

            if (result.GetValue(prelabels.Format) is null)
            {
                result.AddError("--format: coco, labelstudio or yolo is required.");
            }

            foreach (var (option, value) in new[] { ("--per-device", result.GetValue(perDevice)), ("--per-trigger", result.GetValue(perTrigger)) })
            {
                if (value is < 1)
                {
                    result.AddError($"{option}: {value.Value.ToString(CultureInfo.InvariantCulture)} is not a positive quota.");
                }
            }

            if (result.GetValue(minScore) is { } min && result.GetValue(maxScore) is { } max && min > max)
            {
                result.AddError($"--min-score {min.ToString(CultureInfo.InvariantCulture)} is above --max-score {max.ToString(CultureInfo.InvariantCulture)}.");
            }

            prelabels.Validate(result);
        });

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var outDirectory = parse.GetValue(prelabels.Out)!;
            var window = parse.GetValue(prelabels.AroundTrigger) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            var filter = new DatasetFilter(
                Set(parse.GetValue(devices)), Set(parse.GetValue(triggers)), parse.GetValue(from), parse.GetValue(to), parse.GetValue(model),
                Set(parse.GetValue(classes)), parse.GetValue(minScore), parse.GetValue(maxScore));
            var local = parse.GetValue(catalog);
            var settings = new DatasetBuildSettings(
                parse.GetValue(name) ?? outDirectory.Name,
                local?.FullName ?? parse.GetValue(api.Api)!,
                PrelabelExportOptions.ParseFormat(parse.GetValue(prelabels.Format))!.Value,
                new ClipFrameLabeller(parse.GetRequiredValue(camera), parse.GetRequiredValue(prelabels.BoxesSignal), parse.GetValue(prelabels.Every), window),
                ClassNames.Load(parse.GetValue(prelabels.Labels)),
                parse.GetValue(prelabels.ImageUrlBase),
                filter,
                parse.GetValue(frames),
                parse.GetValue(perDevice),
                parse.GetValue(perTrigger),
                parse.GetRequiredValue(embedding),
                parse.GetValue(duplicate));
            try
            {
                if (local is not null)
                {
                    var report = await new DatasetBuilder(settings).BuildAsync(LocalClipCatalog.List(local.FullName, filter), outDirectory, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(report, outDirectory, output, error).ConfigureAwait(false);
                    var stored = await ReportStore.SaveLocalAsync(local.FullName, report.ReportId, report.ToJson(), cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"report {report.ReportId} stored in {stored}").ConfigureAwait(false);
                    return 0;
                }

                using var client = api.Connect(parse);
                var cacheFolder = parse.GetValue(cache)?.FullName ?? Path.Combine(Path.GetTempPath(), $"dce-dataset-{Guid.NewGuid():N}");
                try
                {
                    var clips = await new FleetClipCatalog(client, cacheFolder).ListAsync(parse.GetValue(fleet), filter, cancellationToken).ConfigureAwait(false);
                    var report = await new DatasetBuilder(settings).BuildAsync(clips, outDirectory, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(report, outDirectory, output, error).ConfigureAwait(false);
                    try
                    {
                        var stored = await ReportStore.SaveFleetAsync(client, report.ToJson(), cancellationToken).ConfigureAwait(false);
                        await output.WriteLineAsync($"report {report.ReportId} stored at {stored}").ConfigureAwait(false);
                    }
                    catch (FleetApiException e)
                    {
                        // The dataset is written; only the catalog's copy of its report is missing.
                        await error.WriteLineAsync($"edgectl: the report was not stored in the fleet catalog: {e.Message}").ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (parse.GetValue(cache) is null && Directory.Exists(cacheFolder))
                    {
                        Directory.Delete(cacheFolder, recursive: true);
                    }
                }

                return 0;
            }
            catch (PrelabelInputException e)
            {
                throw new UsageException("cannot build the dataset: " + e.Message);
            }
        }));
        return command;
    }

    private static async Task WriteAsync(DatasetBuildReport report, DirectoryInfo outDirectory, TextWriter output, TextWriter error)
    {
        foreach (var problem in report.Problems)
        {
            await error.WriteLineAsync("edgectl: " + problem).ConfigureAwait(false);
        }

        if (report.FeatureNote is { } note)
        {
            await error.WriteLineAsync($"edgectl: frames compared by {report.Feature}: {note}.").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{report.Summary}; written to {outDirectory.FullName}").ConfigureAwait(false);
    }

    private static HashSet<string> Set(string[]? values) => new(values ?? [], StringComparer.Ordinal);
}
