using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace DataCentric.Edge.Device.Tests.Inference.Quantization;

/// <summary>
/// A small CNTK-style model (opset 8, IR 3, initializers listed as inputs) for the quantizer's error
/// paths: 'image' float[1,3,16,16] → Conv 4×3×3×3 → BatchNormalization → Relu → MaxPool 2×2 → 'features'.
/// </summary>
internal static class TinyConvNet
{
    /// <param name="inputType">The input's element type (the quantizer accepts only float).</param>
    /// <param name="appendOp">An operator appended after the MaxPool (e.g. one the quantizer does not know).</param>
    public static byte[] Build(DataType inputType = DataType.Float, string? appendOp = null)
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(Value("image", inputType, 1, 3, 16, 16));
        Initializer(graph, "W", [4, 3, 3, 3], i => MathF.Sin(i * 0.7f) * 0.5f);
        Initializer(graph, "gamma", [4], i => 1f + (0.1f * i));
        Initializer(graph, "beta", [4], i => 0.05f * i);
        Initializer(graph, "mean", [4], i => 0.01f * i);
        Initializer(graph, "var", [4], i => 0.5f + (0.1f * i));
        Node(graph, "Conv", "conv", ["image", "W"], "conv_out", Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1));
        Node(graph, "BatchNormalization", "bn", ["conv_out", "gamma", "beta", "mean", "var"], "bn_out");
        Node(graph, "Relu", "relu", ["bn_out"], "relu_out");
        Node(graph, "MaxPool", "pool", ["relu_out"], "pool_out", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        var output = "pool_out";
        if (appendOp is not null)
        {
            Node(graph, appendOp, appendOp.ToLowerInvariant(), [output], "appended");
            output = "appended";
        }

        graph.Output.Add(Value(output, DataType.Float, 1, 4, 8, 8));
        var model = new ModelProto { IrVersion = 3, ProducerName = "tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 8 });
        return model.ToByteArray();
    }

    private static void Initializer(GraphProto graph, string name, long[] dims, Func<int, float> value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(Enumerable.Range(0, (int)dims.Aggregate(1L, (a, b) => a * b)).Select(value));
        graph.Initializer.Add(tensor);
        graph.Input.Add(Value(name, DataType.Float, dims));
    }

    private static void Node(GraphProto graph, string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        graph.Node.Add(node);
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static ValueInfoProto Value(string name, DataType type, params long[] dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        tensor.Shape.Dim.Add(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
