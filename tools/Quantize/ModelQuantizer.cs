using System.Security.Cryptography;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Device.Inference;
using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>What to quantize, with which pre-processing and calibration frames.</summary>
public sealed class QuantizeRequest
{
    public required string InputPath { get; init; }

    public required string OutputPath { get; init; }

    /// <summary>The model's image input and the engine's pre-processing for it (name, mean, std, scale, channel order).</summary>
    public required ImageInputOptions Input { get; init; }

    /// <summary>"synthetic" (the agent's synthetic scene) or a directory of .jpg files.</summary>
    public string Calibration { get; init; } = Synthetic;

    public int Frames { get; init; } = CalibrationFrames.DefaultCount;

    public const string Synthetic = "synthetic";
}

/// <summary>What a run did, for the command line's summary.</summary>
public sealed record QuantizeResult(int FoldedBatchNorms, int CalibrationFrames, QdqSummary Qdq, long InputBytes, long OutputBytes);

/// <summary>
/// The pipeline: load → check → fold BatchNormalization → opset 13 → calibrate → write QDQ → save
/// atomically. Every step that can refuse the model does so before the output file is touched.
/// </summary>
public static class ModelQuantizer
{
    /// <exception cref="QuantizationException">Bad input; the message names what and where. No output is written.</exception>
    public static QuantizeResult Quantize(QuantizeRequest request, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = Path.GetFullPath(request.InputPath);
        OnnxModelFile.CheckOutputDirectory(request.OutputPath);
        var problems = request.Input.Problems().ToList();
        if (request.Input.Layout != TensorLayout.Nchw || request.Input.Element != TensorElement.Float32)
        {
            problems.Add("dce-quantize calibrates float32 NCHW inputs only");
        }

        if (problems.Count > 0)
        {
            throw new QuantizationException($"pre-processing for input '{request.Input.Name}': {string.Join("; ", problems)}.");
        }

        var model = OnnxModelFile.Load(file);
        var (height, width) = SupportedModel.CheckImageInput(model, request.Input.Name, file);
        var folded = FoldAndUpgrade(model, file);
        var frames = string.Equals(request.Calibration, QuantizeRequest.Synthetic, StringComparison.OrdinalIgnoreCase)
            ? CalibrationFrames.Synthetic(request.Frames)
            : CalibrationFrames.FromDirectory(request.Calibration, request.Frames);
        log?.WriteLine($"{file}: folded {folded} BatchNormalization into Conv; opset {OpsetUpgrade.TargetOpset}, IR {OpsetUpgrade.TargetIrVersion}");
        var plan = QuantizationPlan.Build(model.Graph, file);
        var ranges = Calibrator.Calibrate(model, request.Input, height, width, plan.Calibrated, frames, file);
        log?.WriteLine($"calibrated {plan.Calibrated.Count} tensors over {frames.Count} frames ({frames[0].Source} …)");
        var qdq = QdqWriter.Write(model, plan, ranges, file);
        Stamp(model, file, request, frames.Count);
        OnnxModelFile.SaveAtomically(model, request.OutputPath);
        return new QuantizeResult(folded, frames.Count, qdq, new FileInfo(file).Length, new FileInfo(request.OutputPath).Length);
    }

    /// <summary>Who wrote the model from what (file name and hash, not the path, so the bytes do not depend on where the input lies).</summary>
    private static void Stamp(ModelProto model, string file, QuantizeRequest request, int frames)
    {
        string sha256;
        using (var stream = File.OpenRead(file))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        var calibration = string.Equals(request.Calibration, QuantizeRequest.Synthetic, StringComparison.OrdinalIgnoreCase)
            ? QuantizeRequest.Synthetic
            : $"directory {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.Calibration)))}";
        model.ProducerName = "dce-quantize";
        model.ProducerVersion = typeof(ModelQuantizer).Assembly.GetName().Version?.ToString() ?? string.Empty;
        model.MetadataProps.Add(new StringStringEntryProto { Key = "dce-quantize.source", Value = Path.GetFileName(file) });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "dce-quantize.source-sha256", Value = sha256 });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "dce-quantize.calibration", Value = $"{calibration}, {frames} frames" });
    }

    /// <summary>Steps (a) and (b) alone: the float model ONNX Runtime calibrates, also what the folding test compares with the original.</summary>
    /// <exception cref="QuantizationException">A BatchNormalization that cannot be folded.</exception>
    public static int FoldAndUpgrade(ModelProto model, string file)
    {
        ArgumentNullException.ThrowIfNull(model);
        SupportedModel.CheckOperators(model, file);
        var folded = BatchNormFolder.Fold(model, file);
        OpsetUpgrade.Apply(model);
        return folded;
    }
}
