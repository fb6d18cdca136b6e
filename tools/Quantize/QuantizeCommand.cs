using System.CommandLine;
using System.Globalization;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Quantize;

/// <summary>The command line: arguments → <see cref="QuantizeRequest"/> → <see cref="ModelQuantizer"/>; exit 2 with the reason on bad input.</summary>
public static class QuantizeCommand
{
    public const int BadInput = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "The float ONNX model (opset 7-13) to quantize" };
        var target = new Argument<string>("output") { Description = "Where to write the int8 QDQ model (its directory must exist)" };
        var input = new Option<string>("--input") { Description = "The model's image input", Required = true };
        var mean = new Option<string?>("--mean") { Description = "Per-channel mean, three comma-separated values, in the units of --scale × pixel (e.g. 123.675,116.28,103.53)" };
        var std = new Option<string?>("--std") { Description = "Per-channel standard deviation, three comma-separated values (e.g. 58.395,57.12,57.375)" };
        var scale = new Option<float>("--scale")
        {
            Description = "Pixel multiplier before mean/std: 1 keeps pixels in 0..255 (as the mean/std above), 0.00392157 gives 0..1",
            DefaultValueFactory = _ => 1f,
        };
        var bgr = new Option<bool>("--bgr") { Description = "The model takes channels in BGR order (default RGB)" };
        var calibration = new Option<string>("--calibration")
        {
            Description = "'synthetic' (the agent's synthetic road scene, 640×480 JPEG) or a directory of .jpg files",
            DefaultValueFactory = _ => QuantizeRequest.Synthetic,
        };
        var frames = new Option<int>("--frames")
        {
            Description = "How many calibration frames (from a directory: the first N by name)",
            DefaultValueFactory = _ => CalibrationFrames.DefaultCount,
        };

        var root = new RootCommand("dce-quantize: static int8 post-training quantization of an ONNX CNN into a QDQ model that ONNX Runtime's CPU provider runs as QLinearConv/QLinearAdd")
        {
            model, target, input, mean, std, scale, bgr, calibration, frames,
        };
        root.SetAction(parse =>
        {
            try
            {
                var options = new ImageInputOptions
                {
                    Name = parse.GetValue(input)!,
                    Scale = parse.GetValue(scale),
                    ChannelOrder = parse.GetValue(bgr) ? ChannelOrder.Bgr : ChannelOrder.Rgb,
                };
                AddAll(options.Mean, parse.GetValue(mean), "--mean");
                AddAll(options.Std, parse.GetValue(std), "--std");
                var request = new QuantizeRequest
                {
                    InputPath = parse.GetValue(model)!,
                    OutputPath = parse.GetValue(target)!,
                    Input = options,
                    Calibration = parse.GetValue(calibration)!,
                    Frames = parse.GetValue(frames),
                };
                var result = ModelQuantizer.Quantize(request, output);
                Summarise(output, request, result);
                return 0;
            }
            catch (QuantizationException e)
            {
                error.WriteLine($"dce-quantize: {e.Message}");
                return BadInput;
            }
        });
        return root;
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

    private static void Summarise(TextWriter output, QuantizeRequest request, QuantizeResult result)
    {
        var qdq = result.Qdq;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {Path.GetFullPath(request.OutputPath)}: {result.OutputBytes / 1e6:F1} MB, {100.0 * result.OutputBytes / result.InputBytes:F1} % of the input's {result.InputBytes / 1e6:F1} MB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{qdq.QuantizedConvs} Conv with int8 per-channel weights ({qdq.WeightBytes / 1e6:F1} MB), {qdq.QuantizedActivations} activation tensors as uint8, {qdq.DequantizeNodes} DequantizeLinear; {result.CalibrationFrames} calibration frames"));
    }
}
