using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>
/// Which tensors get a QuantizeLinear, decided from the float graph before calibration:
/// <list type="bullet">
/// <item>every activation input of a Conv (the data input), an Add (both) and a MaxPool;</item>
/// <item>the output of every Conv and Add, or, when a Relu is its only consumer, the Relu's output
/// (the Relu stays; its QuantizeLinear gets zero point 0, which lets ONNX Runtime drop it and fuse
/// Conv/Add with the QuantizeLinear into QLinearConv/QLinearAdd);</item>
/// <item>every MaxPool output, with its input's scale and zero point (ONNX Runtime then runs the
/// MaxPool on uint8 and drops its DequantizeLinear/QuantizeLinear pair).</item>
/// </list>
/// Anything else (the final AveragePool) stays float and reads a DequantizeLinear, and so does a
/// tensor no node reads (a graph output only).
/// </summary>
public sealed class QuantizationPlan
{
    private QuantizationPlan(IReadOnlyList<string> activations, IReadOnlyDictionary<string, string> sharedWith, IReadOnlySet<string> reluOutputs)
    {
        Activations = activations;
        SharedWith = sharedWith;
        ReluOutputs = reluOutputs;
    }

    /// <summary>The tensors to quantize, graph inputs first, then in node order.</summary>
    public IReadOnlyList<string> Activations { get; }

    /// <summary>A MaxPool output → the tensor whose parameters it takes (followed through chained MaxPools).</summary>
    public IReadOnlyDictionary<string, string> SharedWith { get; }

    /// <summary>Tensors written by a Relu: their range starts at 0, so their zero point is 0.</summary>
    public IReadOnlySet<string> ReluOutputs { get; }

    /// <summary>The tensors whose range calibration must measure.</summary>
    public IReadOnlyList<string> Calibrated => [.. Activations.Where(a => !SharedWith.ContainsKey(a))];

    /// <exception cref="QuantizationException">A Conv whose weight or bias is not a constant, or an Add of a constant.</exception>
    public static QuantizationPlan Build(GraphProto graph, string file)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var index = new GraphIndex(graph);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var sharedWith = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            switch (node.OpType)
            {
                case "Conv":
                    CheckConstants(index, node, file);
                    chosen.Add(node.Input[0]);
                    chosen.Add(QuantizedOutput(index, node));
                    break;
                case "Add":
                    if (node.Input.FirstOrDefault(index.Initializers.ContainsKey) is { } constant)
                    {
                        throw new QuantizationException($"{file}: {GraphIndex.Describe(node)} adds the constant '{constant}'; dce-quantize quantizes an Add of two activations only.");
                    }

                    chosen.UnionWith(node.Input);
                    chosen.Add(QuantizedOutput(index, node));
                    break;
                case "MaxPool":
                    chosen.Add(node.Input[0]);
                    chosen.Add(node.Output[0]);
                    sharedWith[node.Output[0]] = node.Input[0];
                    break;
            }
        }

        // A tensor that only leaves the graph stays float: a QuantizeLinear there would feed nothing.
        chosen.RemoveWhere(t => index.ConsumersOf(t).Count == 0);
        foreach (var leaf in sharedWith.Keys.Where(t => !chosen.Contains(t)).ToList())
        {
            sharedWith.Remove(leaf);
        }

        // Follow MaxPool → MaxPool chains to the tensor that has its own range.
        foreach (var output in sharedWith.Keys.ToList())
        {
            var source = sharedWith[output];
            while (sharedWith.TryGetValue(source, out var further))
            {
                source = further;
            }

            sharedWith[output] = source;
        }

        var ordered = graph.Input.Select(i => i.Name).Concat(graph.Node.SelectMany(n => n.Output))
            .Where(chosen.Contains).Distinct(StringComparer.Ordinal).ToList();
        var reluOutputs = ordered.Where(t => index.ProducerOf(t)?.OpType == "Relu").ToHashSet(StringComparer.Ordinal);
        return new QuantizationPlan(ordered, sharedWith, reluOutputs);
    }

    /// <summary>The node's output, or the output of a Relu that is its only consumer.</summary>
    private static string QuantizedOutput(GraphIndex index, NodeProto node)
    {
        var output = node.Output[0];
        var consumers = index.ConsumersOf(output);
        return consumers is [{ OpType: "Relu" } relu] && !index.GraphOutputs.Contains(output) ? relu.Output[0] : output;
    }

    private static void CheckConstants(GraphIndex index, NodeProto conv, string file)
    {
        if (index.Initializers.ContainsKey(conv.Input[0]))
        {
            throw new QuantizationException($"{file}: {GraphIndex.Describe(conv)} reads the constant '{conv.Input[0]}' as its data input.");
        }

        foreach (var parameter in conv.Input.Skip(1).Where(p => p.Length > 0))
        {
            if (!index.Initializers.ContainsKey(parameter))
            {
                throw new QuantizationException($"{file}: {GraphIndex.Describe(conv)} takes '{parameter}' as weight or bias, which is not an initializer; dce-quantize quantizes constant weights only.");
            }
        }
    }
}
