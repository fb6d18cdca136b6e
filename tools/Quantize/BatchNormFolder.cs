using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>
/// Folds each BatchNormalization into the Conv that feeds it, so the quantized Conv carries the
/// normalisation in its weights and bias: per output channel c, with k = γ[c] / √(var[c] + ε),
/// W'[c] = W[c]·k and b'[c] = (b[c] − mean[c])·k + β[c]. The Conv then writes the BatchNormalization's
/// output tensor, so the rest of the graph is unchanged. Arithmetic in double, stored as float.
/// </summary>
public static class BatchNormFolder
{
    /// <summary>Folds every BatchNormalization; returns how many.</summary>
    /// <exception cref="QuantizationException">A BatchNormalization that does not follow a Conv used only by it (names the node).</exception>
    public static int Fold(ModelProto model, string file)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var index = new GraphIndex(graph);
        var batchNorms = graph.Node.Where(n => n.OpType == "BatchNormalization").ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bn in batchNorms)
        {
            var conv = FoldableConv(index, bn, file);
            Fold(index, conv, bn, names, file);
        }

        var kept = graph.Node.Where(n => n.OpType != "BatchNormalization").ToList();
        graph.Node.Clear();
        graph.Node.Add(kept);
        GraphEdits.RemoveUnused(graph);
        return batchNorms.Count;
    }

    private static NodeProto FoldableConv(GraphIndex index, NodeProto bn, string file)
    {
        var input = bn.Input[0];
        var conv = index.ProducerOf(input);
        var why = conv is null || conv.OpType != "Conv" ? $"its input '{input}' is not written by a Conv"
            : index.ConsumersOf(input).Count != 1 || index.GraphOutputs.Contains(input) ? $"the Conv output '{input}' is also used elsewhere"
            : bn.Input.Skip(1).FirstOrDefault(p => !index.Initializers.ContainsKey(p)) is { } notConstant ? $"its parameter '{notConstant}' is not an initializer"
            : conv.Input.Skip(1).FirstOrDefault(p => p.Length > 0 && !index.Initializers.ContainsKey(p)) is { } convNotConstant ? $"the Conv's parameter '{convNotConstant}' is not an initializer"
            : null;
        if (why is not null)
        {
            throw new QuantizationException($"{file}: {GraphIndex.Describe(bn)} cannot be folded: {why}. dce-quantize handles BatchNormalization only right after a Conv.");
        }

        return conv!;
    }

    private static void Fold(GraphIndex index, NodeProto conv, NodeProto bn, HashSet<string> names, string file)
    {
        var where = $"{file}: {GraphIndex.Describe(bn)}";
        var weight = index.Initializers[conv.Input[1]];
        var w = Tensors.ReadFloats(weight, where);
        var channels = (int)weight.Dims[0];
        var perChannel = w.Length / channels;
        var gamma = Parameter(index, bn, 1, channels, where);
        var beta = Parameter(index, bn, 2, channels, where);
        var mean = Parameter(index, bn, 3, channels, where);
        var variance = Parameter(index, bn, 4, channels, where);
        var epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
        var b = conv.Input.Count > 2 && conv.Input[2].Length > 0
            ? Tensors.ReadFloats(index.Initializers[conv.Input[2]], where)
            : new float[channels];

        var newWeight = new float[w.Length];
        var newBias = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var k = gamma[c] / Math.Sqrt((double)variance[c] + epsilon);
            for (var i = c * perChannel; i < (c + 1) * perChannel; i++)
            {
                newWeight[i] = (float)(w[i] * k);
            }

            newBias[c] = (float)(((b[c] - (double)mean[c]) * k) + beta[c]);
        }

        // New initializers named after the Conv: the originals may be shared with another node.
        var convName = conv.Name.Length > 0 ? conv.Name : conv.Output[0];
        var weightName = Unique(index, names, $"{convName}_W_folded");
        var biasName = Unique(index, names, $"{convName}_B_folded");
        index.Graph.Initializer.Add(Tensors.Floats(weightName, [.. weight.Dims], newWeight));
        index.Graph.Initializer.Add(Tensors.Floats(biasName, [channels], newBias));
        conv.Input[1] = weightName;
        if (conv.Input.Count > 2)
        {
            conv.Input[2] = biasName;
        }
        else
        {
            conv.Input.Add(biasName);
        }

        conv.Output[0] = bn.Output[0];
    }

    private static float[] Parameter(GraphIndex index, NodeProto bn, int slot, int channels, string where)
    {
        var values = Tensors.ReadFloats(index.Initializers[bn.Input[slot]], where);
        if (values.Length != channels)
        {
            throw new QuantizationException($"{where}: parameter '{bn.Input[slot]}' has {values.Length} values for a Conv of {channels} output channels.");
        }

        return values;
    }

    private static string Unique(GraphIndex index, HashSet<string> taken, string name)
    {
        var candidate = name;
        for (var i = 1; index.Initializers.ContainsKey(candidate) || index.ProducerOf(candidate) is not null || taken.Contains(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        taken.Add(candidate);
        return candidate;
    }
}
