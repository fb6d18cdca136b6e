using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace DataCentric.Edge.Quantize;

/// <summary>
/// What this tool accepts: a float image input [1,3,H,W] and a graph of the operators below, at a
/// default-domain opset from 7 to 13. Each known operator is checked to mean the same at opset 13 as
/// at the model's opset for the attributes it uses (compared against the ONNX operator schemas):
/// <list type="bullet">
/// <item>Conv (versions 1 → 11), MaxPool (8 → 10 → 11 → 12), AveragePool (7 → 10 → 11): the only
/// change for an existing attribute is auto_pad SAME_UPPER/SAME_LOWER, redefined in 11 as
/// output = ceil(input / stride); it is the same as before only when every stride is 1. The new
/// attributes (ceil_mode, dilations for the pools) default to the old behaviour.</item>
/// <item>MaxPool's optional Indices output cannot be quantized and is refused.</item>
/// <item>Relu (6 → 13), Add (7 → 13): only types were added (bfloat16). GlobalAveragePool: unchanged since 1.</item>
/// <item>BatchNormalization (7 → 9 removed spatial): accepted only with spatial = 1 and a single
/// output, and must fold into the Conv before it (<see cref="BatchNormFolder"/>).</item>
/// </list>
/// </summary>
public static class SupportedModel
{
    public const int OldestOpset = 7;

    public static IReadOnlyList<string> Operators { get; } = ["Conv", "BatchNormalization", "Relu", "Add", "MaxPool", "AveragePool", "GlobalAveragePool"];

    /// <summary>The image input's height and width, after checking it is a float [1,3,H,W] tensor and the model's only input.</summary>
    /// <exception cref="QuantizationException">No such input, not float, not NCHW with 3 channels, or more than one input.</exception>
    public static (int Height, int Width) CheckImageInput(ModelProto model, string inputName, string file)
    {
        var index = new GraphIndex(model.Graph);
        var inputs = model.Graph.Input.Where(i => index.GraphInputs.Contains(i.Name)).ToList();
        var input = inputs.FirstOrDefault(i => i.Name == inputName)
            ?? throw new QuantizationException($"{file}: no input named '{inputName}' (--input); the model's inputs are: {string.Join(", ", inputs.Select(i => i.Name))}.");
        if (inputs.Count > 1)
        {
            throw new QuantizationException($"{file}: the model has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); dce-quantize calibrates single-image-input models.");
        }

        var tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)DataType.Float)
        {
            var type = tensor is null ? "not a tensor" : ((DataType)tensor.ElemType).ToString();
            throw new QuantizationException($"{file}: input '{inputName}' is {type}; dce-quantize quantizes models with a float input (the engine feeds it the normalised image).");
        }

        var dims = tensor.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray() ?? [];
        if (dims.Length != 4 || dims[0] > 1 || dims[1] != 3 || dims[2] <= 0 || dims[3] <= 0)
        {
            throw new QuantizationException($"{file}: input '{inputName}' has shape [{string.Join(",", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]; expected [1,3,H,W] (NCHW) with a fixed height and width.");
        }

        return ((int)dims[2], (int)dims[3]);
    }

    /// <exception cref="QuantizationException">An opset outside 7..13, a node of an unknown operator or domain, or an attribute whose meaning changed.</exception>
    public static void CheckOperators(ModelProto model, string file)
    {
        var opset = DefaultOpset(model, file);
        foreach (var node in model.Graph.Node)
        {
            var what = $"{file}: {GraphIndex.Describe(node)}";
            if (node.Domain is not ("" or "ai.onnx"))
            {
                throw new QuantizationException($"{what} is in domain '{node.Domain}'; dce-quantize knows only the default ONNX domain.");
            }

            switch (node.OpType)
            {
                case "Conv" or "AveragePool":
                    CheckAutoPad(node, what);
                    break;
                case "MaxPool":
                    CheckAutoPad(node, what);
                    if (node.Output.Count > 1 && node.Output[1].Length > 0)
                    {
                        throw new QuantizationException($"{what} writes the Indices output '{node.Output[1]}', which cannot be quantized.");
                    }

                    break;
                case "BatchNormalization":
                    if (Int(node, "spatial", 1) != 1)
                    {
                        throw new QuantizationException($"{what} has spatial = 0, which opset 9 removed; it cannot be moved to opset {OpsetUpgrade.TargetOpset}.");
                    }

                    if (node.Output.Skip(1).Any(o => o.Length > 0))
                    {
                        throw new QuantizationException($"{what} has training outputs (running mean and variance); export the model for inference.");
                    }

                    break;
                case "Relu" or "Add" or "GlobalAveragePool":
                    break;
                default:
                    throw new QuantizationException($"{what} (opset {opset}) is not supported; dce-quantize knows {string.Join(", ", Operators)}.");
            }
        }
    }

    private static long DefaultOpset(ModelProto model, string file)
    {
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")
            ?? throw new QuantizationException($"{file}: the model imports no default ONNX opset.");
        if (opset.Version < OldestOpset || opset.Version > OpsetUpgrade.TargetOpset)
        {
            throw new QuantizationException($"{file}: opset {opset.Version}; dce-quantize reads opsets {OldestOpset} to {OpsetUpgrade.TargetOpset} (and writes {OpsetUpgrade.TargetOpset}).");
        }

        return opset.Version;
    }

    private static void CheckAutoPad(NodeProto node, string what)
    {
        var autoPad = node.Attribute.FirstOrDefault(a => a.Name == "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        var strides = node.Attribute.FirstOrDefault(a => a.Name == "strides")?.Ints ?? [];
        if (autoPad is "SAME_UPPER" or "SAME_LOWER" && strides.Any(s => s != 1))
        {
            throw new QuantizationException($"{what} has auto_pad {autoPad} with strides [{string.Join(",", strides)}]; opset 11 changed what SAME padding means for strides above 1. Export it with explicit pads.");
        }
    }

    internal static long Int(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback;
}
