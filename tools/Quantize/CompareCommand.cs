using System.CommandLine;
using System.Globalization;

namespace DataCentric.Edge.Quantize;

/// <summary>
/// <c>dce-quantize compare FLOAT QUANTIZED</c>: the quantized model against its float model on frames
/// it was not calibrated on, on this machine's kernels. Exit 0 when every frame's cosine similarity
/// reaches --min-cosine, 1 when one does not, 2 on bad input.
/// </summary>
public static class CompareCommand
{
    public const int BelowThreshold = 1;

    internal static Command Build(TextWriter output, TextWriter error)
    {
        var reference = new Argument<string>("float") { Description = "The float ONNX model" };
        var quantized = new Argument<string>("quantized") { Description = "Its quantized copy (dce-quantize's output)" };
        var image = new ImageInputArguments();
        var frames = new Option<string>("--frames-from")
        {
            Description = "'synthetic' (the synthetic scene halfway between the calibration instants) or a directory of .jpg files not used for calibration",
            DefaultValueFactory = _ => QuantizeRequest.Synthetic,
        };
        var count = new Option<int>("--frames") { Description = "How many frames", DefaultValueFactory = _ => 12 };
        var minimum = new Option<double>("--min-cosine") { Description = "The least cosine similarity accepted on any frame", DefaultValueFactory = _ => 0.99 };
        var command = new Command("compare", "Compare a quantized model's output with its float model's on held-out frames, on this machine's CPU kernels")
        {
            reference, quantized, image.Input, image.Mean, image.Std, image.Scale, image.Bgr, frames, count, minimum,
        };
        command.SetAction(parse =>
        {
            try
            {
                var source = parse.GetValue(frames)!;
                var held = string.Equals(source, QuantizeRequest.Synthetic, StringComparison.OrdinalIgnoreCase)
                    ? CalibrationFrames.SyntheticHeldOut(parse.GetValue(count))
                    : CalibrationFrames.FromDirectory(source, parse.GetValue(count));
                var result = ModelComparison.Compare(parse.GetValue(reference)!, parse.GetValue(quantized)!, image.Read(parse), held);
                var threshold = parse.GetValue(minimum);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Output}: cosine similarity over {result.Cosines.Count} frames: min {result.Min:F4}, mean {result.Mean:F4} (accepted from {threshold:F4})"));
                return result.Min >= threshold ? 0 : BelowThreshold;
            }
            catch (QuantizationException e)
            {
                error.WriteLine($"dce-quantize compare: {e.Message}");
                return QuantizeCommand.BadInput;
            }
        });
        return command;
    }
}
