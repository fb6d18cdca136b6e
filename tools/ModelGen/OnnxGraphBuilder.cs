using Google.Protobuf;
using Onnx;

namespace DataCentric.Edge.ModelGen;

/// <summary>Just enough of an ONNX graph builder to write small models with known outputs.</summary>
internal sealed class OnnxGraphBuilder(string name)
{
    private const int Opset = 17;
    private readonly GraphProto _graph = new() { Name = name };
    private int _counter;

    public string Input(string inputName, params long[] shape)
    {
        _graph.Input.Add(FloatValue(inputName, shape));
        return inputName;
    }

    public string ByteInput(string inputName, params long[] shape)
    {
        _graph.Input.Add(Value(inputName, TensorProto.Types.DataType.Uint8, shape));
        return inputName;
    }

    public void Output(string tensor, string outputName, params long[] shape)
    {
        Node("Identity", [tensor], outputName);
        _graph.Output.Add(FloatValue(outputName, shape));
    }

    public string Int64s(params long[] values)
    {
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Floats(long[] dims, params float[] values)
    {
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Scalar(float value) => Floats([], value);

    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.Add(inputs);
        node.Output.Add(output ?? Fresh(op.ToLowerInvariant()));
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return node.Output[0];
    }

    public static AttributeProto Ints(string attributeName, params long[] values)
    {
        var attribute = new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    public static AttributeProto Int(string attributeName, long value) =>
        new() { Name = attributeName, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public byte[] Build(string producerVersion, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "dce-modelgen",
            ProducerVersion = producerVersion,
            ModelVersion = 1,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model.ToByteArray();
    }

    private string Fresh(string prefix) => $"{prefix}_{_counter++}";

    private static ValueInfoProto FloatValue(string valueName, long[] shape) => Value(valueName, TensorProto.Types.DataType.Float, shape);

    private static ValueInfoProto Value(string valueName, TensorProto.Types.DataType type, long[] shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var dim in shape)
        {
            // A negative size declares a dynamic dimension.
            tensorType.Shape.Dim.Add(dim < 0 ? new TensorShapeProto.Types.Dimension { DimParam = $"d{-dim}" } : new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto { Name = valueName, Type = new TypeProto { TensorType = tensorType } };
    }
}
