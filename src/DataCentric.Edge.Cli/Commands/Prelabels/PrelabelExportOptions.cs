using System.CommandLine;
using System.Globalization;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>
/// The options of <c>edgectl clips export --format coco|labelstudio|yolo --out DIR</c> and the action
/// that runs them: draft labels from the shadow model's outputs, for people to correct.
/// </summary>
internal sealed class PrelabelExportOptions
{
    public Option<string?> Format { get; } = new("--format")
    {
        Description = "Write frames with the shadow model's draft labels: coco, labelstudio or yolo (needs --out)",
    };

    public Option<DirectoryInfo?> Out { get; } = new("--out") { Description = "The dataset folder to create (must not exist or be empty)" };

    public Option<int> Every { get; } = new("--every") { Description = "Export every Nth frame", DefaultValueFactory = _ => 1 };

    public Option<double?> AroundTrigger { get; } = new("--around-trigger")
    {
        Description = "Export only frames within this many seconds of a trigger event",
    };

    public Option<string?> ImageUrlBase { get; } = new("--image-url-base")
    {
        Description = "Label Studio: image URLs under this base (where the images are served) instead of relative paths",
    };

    public Option<FileInfo?> Labels { get; } = new("--labels") { Description = "Class names, one per line in class id order (the model's labels file)" };

    public Option<string> BoxesSignal { get; } = new("--boxes-signal")
    {
        Description = "The detections signal that holds the shadow model's boxes",
        DefaultValueFactory = _ => "shadow.boxes",
    };

    public PrelabelExportOptions()
    {
        Every.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--every: {result.GetValueOrDefault<int>().ToString(CultureInfo.InvariantCulture)} is not a positive frame step.");
            }
        });
    }

    public IEnumerable<Option> All => [Format, Out, Every, AroundTrigger, ImageUrlBase, Labels, BoxesSignal];

    public static PrelabelFormat? ParseFormat(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "coco" => PrelabelFormat.Coco,
        "labelstudio" or "label-studio" => PrelabelFormat.LabelStudio,
        "yolo" => PrelabelFormat.Yolo,
        _ => throw new ArgumentException($"--format: '{text}' is not one of coco, labelstudio, yolo"),
    };

    public void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        var format = result.GetValue(Format);
        if (format is null)
        {
            return;
        }

        if (format.ToLowerInvariant() is not ("coco" or "labelstudio" or "label-studio" or "yolo"))
        {
            result.AddError($"--format: '{format}' is not one of coco, labelstudio, yolo.");
        }

        if (result.GetValue(Out) is null)
        {
            result.AddError("--format needs --out <dir>: the folder the dataset is written to.");
        }

        if (result.GetValue(AroundTrigger) is { } seconds && (seconds < 0 || !double.IsFinite(seconds)))
        {
            result.AddError($"--around-trigger: {seconds.ToString(CultureInfo.InvariantCulture)} is not a number of seconds ≥ 0.");
        }

        if (result.GetValue(ImageUrlBase) is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            result.AddError($"--image-url-base: '{url}' is not an absolute URL.");
        }
    }

    public async Task<int> RunAsync(ParseResult parsed, IReadOnlyList<string> inputs, string camera, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var format = ParseFormat(parsed.GetValue(Format))!.Value;
        var outDirectory = parsed.GetValue(Out)!;
        var window = parsed.GetValue(AroundTrigger) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        try
        {
            var files = ClipInputs.Resolve(inputs);
            var labeller = new ClipFrameLabeller(camera, parsed.GetRequiredValue(BoxesSignal), parsed.GetValue(Every), window);
            var exporter = new PrelabelExporter(format, labeller, ClassNames.Load(parsed.GetValue(Labels)), parsed.GetValue(ImageUrlBase));
            var result = await exporter.ExportAsync(files, outDirectory, cancellationToken).ConfigureAwait(false);
            foreach (var notice in result.Notices)
            {
                await error.WriteLineAsync("edgectl: " + notice).ConfigureAwait(false);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{result.Frames} frames from {result.Clips} clips with {result.Boxes} draft boxes ({result.ClippedBoxes} clipped to the image, {result.DroppedBoxes} outside it dropped) written as {parsed.GetValue(Format)} to {outDirectory.FullName}")).ConfigureAwait(false);
            return 0;
        }
        catch (PrelabelInputException e)
        {
            await error.WriteLineAsync("edgectl: cannot export: " + e.Message).ConfigureAwait(false);
            return EdgectlApp.UsageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"edgectl: cannot export to {outDirectory.FullName}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
