using System.CommandLine;
using System.Globalization;

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
        var image = new ImageInputArguments();
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
            model, target, image.Input, image.Mean, image.Std, image.Scale, image.Bgr, calibration, frames,
        };
        root.Subcommands.Add(CompareCommand.Build(output, error));
        root.SetAction(parse =>
        {
            try
            {
                var options = image.Read(parse);
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

    private static void Summarise(TextWriter output, QuantizeRequest request, QuantizeResult result)
    {
        var qdq = result.Qdq;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {Path.GetFullPath(request.OutputPath)}: {result.OutputBytes / 1e6:F1} MB, {100.0 * result.OutputBytes / result.InputBytes:F1} % of the input's {result.InputBytes / 1e6:F1} MB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{qdq.QuantizedConvs} Conv with int8 per-channel weights ({qdq.WeightBytes / 1e6:F1} MB), {qdq.QuantizedActivations} activation tensors as uint8, {qdq.DequantizeNodes} DequantizeLinear; {result.CalibrationFrames} calibration frames"));
    }
}
