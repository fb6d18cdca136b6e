using System.CommandLine;
using System.Globalization;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;

namespace DataCentric.Edge.Quantize;

/// <summary>The model's image input and its pre-processing on the command line, as a shadow model's <c>Input</c> section carries them.</summary>
internal sealed class ImageInputArguments
{
    public Option<string> Input { get; } = new("--input") { Description = "The model's image input", Required = true };

    public Option<string?> Mean { get; } = new("--mean") { Description = "Per-channel mean, three comma-separated values, in the units of --scale × pixel (e.g. 123.675,116.28,103.53)" };

    public Option<string?> Std { get; } = new("--std") { Description = "Per-channel standard deviation, three comma-separated values (e.g. 58.395,57.12,57.375)" };

    public Option<float> Scale { get; } = new("--scale")
    {
        Description = "Pixel multiplier before mean/std: 1 keeps pixels in 0..255 (as the mean/std above), 0.00392157 gives 0..1",
        DefaultValueFactory = _ => 1f,
    };

    public Option<bool> Bgr { get; } = new("--bgr") { Description = "The model takes channels in BGR order (default RGB)" };

    /// <exception cref="QuantizationException">--mean or --std is not a list of numbers.</exception>
    public ImageInputOptions Read(ParseResult parse)
    {
        var options = new ImageInputOptions
        {
            Name = parse.GetValue(Input)!,
            Scale = parse.GetValue(Scale),
            ChannelOrder = parse.GetValue(Bgr) ? ChannelOrder.Bgr : ChannelOrder.Rgb,
        };
        AddAll(options.Mean, parse.GetValue(Mean), "--mean");
        AddAll(options.Std, parse.GetValue(Std), "--std");
        return options;
    }

    private static void AddAll(IList<float> target, string? values, string option)
    {
        if (values is null)
        {
            return;
        }

        foreach (var part in values.Split(','))
        {
            if (!float.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new QuantizationException($"{option} '{values}': '{part}' is not a number (give three comma-separated values).");
            }

            target.Add(value);
        }
    }
}
