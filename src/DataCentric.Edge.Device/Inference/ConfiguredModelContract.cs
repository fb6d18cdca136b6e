using DataCentric.Edge.Core.Contracts;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DataCentric.Edge.Device.Inference;

/// <summary>
/// Whether a model's signed contract fits the device's configuration for that model name: the
/// input its pre-processing produces (name, element type, layout, size) and the output tensors its
/// adapter reads. The same conditions <see cref="OnnxInferenceEngine.Load"/> checks on the loaded
/// session, here on the manifest, so a release that cannot run is refused before it is loaded.
/// Shapes the adapters measure on a first run (class counts, anchors) are left to that load.
/// </summary>
public sealed class ConfiguredModelContract(IReadOnlyList<ShadowModelOptions> models) : IModelContractCheck
{
    private static readonly string Float = OnnxModelContract.ElementName(TensorElementType.Float);
    private static readonly string UInt8 = OnnxModelContract.ElementName(TensorElementType.UInt8);

    public IReadOnlyList<string> Problems(string modelName, ModelIo io)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(io);
        var model = models.FirstOrDefault(m => m.Name == modelName);
        if (model is null)
        {
            return [$"no model named '{modelName}' is configured under Inference:Models (configured: {string.Join(", ", models.Select(m => m.Name))})"];
        }

        var problems = new List<string>();
        CheckInput(model, io, problems);
        CheckOutputs(model, io, problems);
        return problems;
    }

    private static void CheckInput(ShadowModelOptions model, ModelIo io, List<string> problems)
    {
        var options = model.Input;
        if (io.Inputs.Count != 1)
        {
            problems.Add($"it has {io.Inputs.Count} inputs ({Names(io.Inputs)}); only single-image-input models are supported");
        }

        var input = io.Inputs.FirstOrDefault(i => i.Name == options.Name);
        if (input is null)
        {
            problems.Add($"no input named '{options.Name}' (Inference:Models '{model.Name}' Input:Name); the model has {Names(io.Inputs)}");
            return;
        }

        var expected = options.Element == TensorElement.Float32 ? Float : UInt8;
        if (input.Element != expected)
        {
            problems.Add($"input {input} but Input:Element is {options.Element} (the pre-processing writes {expected})");
        }

        var dims = input.Shape;
        if (dims.Count != 4 || dims[0] > 1)
        {
            problems.Add($"input {input}; the pre-processing writes a single image [1,3,H,W] (NCHW) or [1,H,W,3] (NHWC)");
            return;
        }

        var (channelAxis, heightAxis, widthAxis) = options.Layout == TensorLayout.Nchw ? (1, 2, 3) : (3, 1, 2);
        if (dims[channelAxis] != 3)
        {
            problems.Add($"input {input}: Input:Layout {options.Layout} needs 3 channels on axis {channelAxis}");
        }

        CheckSize(input, "Height", dims[heightAxis], options.Height, problems);
        CheckSize(input, "Width", dims[widthAxis], options.Width, problems);
    }

    private static void CheckSize(ModelTensor input, string what, long fromModel, int configured, List<string> problems)
    {
        if (fromModel > 0 && configured > 0 && fromModel != configured)
        {
            problems.Add($"input {input} has {what.ToLowerInvariant()} {fromModel} but Input:{what} is {configured}");
        }
        else if (fromModel <= 0 && configured <= 0)
        {
            problems.Add($"input {input} has a dynamic {what.ToLowerInvariant()} and Input:{what} is not set");
        }
    }

    private static void CheckOutputs(ShadowModelOptions model, ModelIo io, List<string> problems)
    {
        var options = model.Output;
        if (OutputAdapter.Find(options.Kind) is null)
        {
            problems.Add($"Output:Kind {options.Kind} names no output adapter");
            return;
        }

        foreach (var name in OutputAdapter.TensorsOf(options))
        {
            var output = io.Outputs.FirstOrDefault(o => o.Name == name);
            if (output is null)
            {
                problems.Add($"no output named '{name}', which the {options.Kind} adapter reads; the model has {Names(io.Outputs)}");
            }
            else if (output.Element != Float)
            {
                problems.Add($"output {output}; the {options.Kind} adapter reads float tensors");
            }
            else if (options.Kind == ModelOutputKind.Detection && (options.DetectionLayout != DetectionLayout.Ssd || name == options.BoxesTensor) && output.Shape.Count != 3)
            {
                problems.Add($"output {output} is not the [1, N, M] tensor the {options.DetectionLayout} detection adapter reads");
            }
        }
    }

    private static string Names(IReadOnlyList<ModelTensor> tensors) => tensors.Count == 0 ? "none" : string.Join(", ", tensors);
}
