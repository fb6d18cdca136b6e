using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>What <see cref="QdqWriter"/> wrote.</summary>
public sealed record QdqSummary(int QuantizedActivations, int DequantizeNodes, int QuantizedConvs, long WeightBytes);

/// <summary>
/// Rewrites a calibrated float model (opset 13) into QDQ form, following a <see cref="QuantizationPlan"/>:
/// each planned tensor gets one QuantizeLinear right after it is written and one DequantizeLinear in
/// front of each consumer; each Conv reads its weight through an int8 per-channel DequantizeLinear
/// (axis 0, zero point 0) and its bias through an int32 one (scale = input scale × weight scale[c]).
/// The float weights are dropped. Node order stays topological; new names are derived from the
/// tensor they serve, so the same model and ranges give the same bytes.
/// </summary>
public static class QdqWriter
{
    /// <exception cref="QuantizationException">A planned tensor without a calibrated range.</exception>
    public static QdqSummary Write(ModelProto model, QuantizationPlan plan, IReadOnlyDictionary<string, TensorRange> ranges, string file)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(ranges);
        var graph = model.Graph;
        var index = new GraphIndex(graph);
        var names = new NameScope(graph);
        var rewrite = new Rewrite(index, names);

        // Scale and zero-point initializers per planned tensor; a MaxPool output shares its input's.
        var parameters = new Dictionary<string, (string Scale, string ZeroPoint, ActivationParameters Values)>(StringComparer.Ordinal);
        foreach (var tensor in plan.Activations.Where(t => !plan.SharedWith.ContainsKey(t)))
        {
            if (!ranges.TryGetValue(tensor, out var range))
            {
                throw new QuantizationException($"{file}: tensor '{tensor}' has no calibrated range.");
            }

            var values = QuantizationMath.Activation(range, plan.ReluOutputs.Contains(tensor));
            var scale = rewrite.Initializer(Tensors.FloatScalar(names.Fresh($"{tensor}_scale"), values.Scale));
            var zeroPoint = rewrite.Initializer(Tensors.UInt8Scalar(names.Fresh($"{tensor}_zero_point"), values.ZeroPoint));
            parameters[tensor] = (scale, zeroPoint, values);
        }

        foreach (var (tensor, source) in plan.SharedWith)
        {
            parameters[tensor] = parameters[source];
        }

        var quantized = new Dictionary<string, string>(StringComparer.Ordinal);
        void Quantize(string tensor)
        {
            var (scale, zeroPoint, _) = parameters[tensor];
            quantized[tensor] = rewrite.Node("QuantizeLinear", $"{tensor}_QuantizeLinear", [tensor, scale, zeroPoint], $"{tensor}_quantized");
        }

        foreach (var input in plan.Activations.Where(index.GraphInputs.Contains))
        {
            Quantize(input);
        }

        var convs = 0;
        long weightBytes = 0;
        foreach (var node in graph.Node.ToList())
        {
            if (node.OpType == "Conv")
            {
                weightBytes += rewrite.QuantizeConvParameters(node, parameters[node.Input[0]].Values.Scale, file);
                convs++;
            }

            for (var i = 0; i < node.Input.Count; i++)
            {
                if (quantized.TryGetValue(node.Input[i], out var q))
                {
                    var (scale, zeroPoint, _) = parameters[node.Input[i]];
                    node.Input[i] = rewrite.Node("DequantizeLinear", $"{node.Input[i]}_DequantizeLinear", [q, scale, zeroPoint], $"{node.Input[i]}_dequantized");
                }
            }

            rewrite.Keep(node);
            foreach (var output in node.Output.Where(parameters.ContainsKey))
            {
                Quantize(output);
            }
        }

        var dequantizeNodes = rewrite.Nodes.Count(n => n.OpType == "DequantizeLinear");
        rewrite.ApplyTo(graph);
        GraphEdits.RemoveUnused(graph);
        return new QdqSummary(quantized.Count, dequantizeNodes, convs, weightBytes);
    }

    /// <summary>The new node list and initializers, built in graph order.</summary>
    private sealed class Rewrite(GraphIndex index, NameScope names)
    {
        private readonly List<TensorProto> _initializers = [];

        public List<NodeProto> Nodes { get; } = [];

        public void Keep(NodeProto node) => Nodes.Add(node);

        public string Initializer(TensorProto tensor)
        {
            _initializers.Add(tensor);
            return tensor.Name;
        }

        /// <summary>Appends a node with a fresh name and a fresh output; returns the output.</summary>
        public string Node(string op, string name, string[] inputs, string output, long? axis = null)
        {
            var node = new NodeProto { OpType = op, Name = names.Fresh(name) };
            node.Input.Add(inputs);
            node.Output.Add(names.Fresh(output));
            if (axis is { } a)
            {
                node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = a });
            }

            Nodes.Add(node);
            return node.Output[0];
        }

        /// <summary>Replaces the Conv's float weight and bias with DequantizeLinear of int8 and int32 initializers; returns the int8 bytes.</summary>
        public long QuantizeConvParameters(NodeProto conv, float inputScale, string file)
        {
            var where = $"{file}: {GraphIndex.Describe(conv)}";
            var weight = index.Initializers[conv.Input[1]];
            var channels = (int)weight.Dims[0];
            var (values, scales) = QuantizationMath.WeightsPerChannel(Tensors.ReadFloats(weight, where), channels);
            var zeros = new sbyte[channels];
            conv.Input[1] = Node(
                "DequantizeLinear",
                $"{weight.Name}_DequantizeLinear",
                [
                    Initializer(Tensors.Int8s(names.Fresh($"{weight.Name}_quantized"), [.. weight.Dims], values)),
                    Initializer(Tensors.Floats(names.Fresh($"{weight.Name}_scale"), [channels], scales)),
                    Initializer(Tensors.Int8s(names.Fresh($"{weight.Name}_zero_point"), [channels], zeros)),
                ],
                $"{weight.Name}_dequantized",
                axis: 0);

            if (conv.Input.Count > 2 && conv.Input[2].Length > 0)
            {
                var bias = index.Initializers[conv.Input[2]];
                var (biasValues, biasScales) = QuantizationMath.Bias(Tensors.ReadFloats(bias, where), inputScale, scales);
                conv.Input[2] = Node(
                    "DequantizeLinear",
                    $"{bias.Name}_DequantizeLinear",
                    [
                        Initializer(Tensors.Int32s(names.Fresh($"{bias.Name}_quantized"), [channels], biasValues)),
                        Initializer(Tensors.Floats(names.Fresh($"{bias.Name}_scale"), [channels], biasScales)),
                        Initializer(Tensors.Int32s(names.Fresh($"{bias.Name}_zero_point"), [channels], new int[channels])),
                    ],
                    $"{bias.Name}_dequantized",
                    axis: 0);
            }

            return values.Length;
        }

        public void ApplyTo(GraphProto graph)
        {
            graph.Node.Clear();
            graph.Node.Add(Nodes);
            graph.Initializer.Add(_initializers);
        }
    }

    /// <summary>Names not yet used by any node, tensor or initializer of the graph: the base name, else base_1, base_2…</summary>
    private sealed class NameScope
    {
        private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

        public NameScope(GraphProto graph)
        {
            _taken.UnionWith(graph.Node.Select(n => n.Name));
            _taken.UnionWith(graph.Node.SelectMany(n => n.Input.Concat(n.Output)));
            _taken.UnionWith(graph.Initializer.Select(t => t.Name));
            _taken.UnionWith(graph.Input.Concat(graph.Output).Concat(graph.ValueInfo).Select(v => v.Name));
        }

        public string Fresh(string name)
        {
            var candidate = name;
            for (var i = 1; !_taken.Add(candidate); i++)
            {
                candidate = $"{name}_{i}";
            }

            return candidate;
        }
    }
}
