using System.Security.Cryptography;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace DataCentric.Edge.Device.Tests.Inference.Activation;

/// <summary>
/// Model files for release tests, all with the contract of the configured "scorer": input 'image'
/// float[1,3,16,16], output 'score' float[1,1]. They differ in what they compute and how they run.
/// </summary>
internal static class ScorerModels
{
    public const string Name = "scorer";
    public const string Signal = "shadow.score";

    /// <summary>The configured model: a regression adapter publishing 'score' as <see cref="Signal"/>.</summary>
    public static ShadowModelOptions Options(string modelPath, int queueCapacity = 2)
    {
        var options = new ShadowModelOptions
        {
            Name = Name,
            ModelPath = modelPath,
            QueueCapacity = queueCapacity,
            Input = new ImageInputOptions { Name = "image" },
            Output = new ModelOutputOptions { Kind = ModelOutputKind.Regression },
        };
        options.Output.Scalars["score"] = Signal;
        return options;
    }

    /// <summary>score = <paramref name="scale"/> × the mean of the image (0..1 per channel).</summary>
    public static byte[] Brightness(float scale)
    {
        var g = new Graph($"brightness-x{scale}");
        g.Output(g.Node("Mul", [Mean(g), g.Floats([], scale)]));
        return g.Build();
    }

    /// <summary>
    /// <paramref name="scale"/> × the brightness, plus 0 × a chain of <paramref name="matMuls"/> [48,512]×[512,512] products
    /// read from the image: the same score, tens of milliseconds per run.
    /// </summary>
    public static byte[] Slow(int matMuls, float scale = 1f)
    {
        var g = new Graph($"slow-{matMuls}-x{scale}");
        var rows = g.Node("Reshape", ["image", g.Int64s(48, 16)]);
        var x = g.Node("MatMul", [rows, g.Node("ConstantOfShape", [g.Int64s(16, 512)], FillWith(1f / 16))]);
        var square = g.Node("ConstantOfShape", [g.Int64s(512, 512)], FillWith(1f / 512));
        for (var i = 0; i < matMuls; i++)
        {
            x = g.Node("MatMul", [x, square]);
        }

        var zero = g.Node("Mul", [g.Node("ReduceMean", [x], Int("keepdims", 0)), g.Floats([], 0f)]);
        g.Output(g.Node("Add", [g.Node("Mul", [Mean(g), g.Floats([], scale)]), zero]));
        return g.Build();
    }

    /// <summary>
    /// 'score' = indexes of the pixels below 0.5 (NonZero): [4,768] on the blank frame of the load's
    /// first run, another shape on a bright frame, so every run on real (bright) frames fails.
    /// </summary>
    public static byte[] FailsOnBrightFrames()
    {
        var g = new Graph("fails-on-bright");
        var dark = g.Node("NonZero", [g.Node("Less", ["image", g.Floats([], 0.5f)])]);
        g.Output(g.Node("Cast", [dark], Int("to", 1)), 4, -1);
        return g.Build();
    }

    public static string Write(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The manifest a fleet manager signs for <paramref name="file"/>: its hash, size and contract as ONNX Runtime reads it.</summary>
    public static ModelReleasePayload Release(string file, int version, int? latencyBudgetMs = null, string name = Name)
    {
        using var stream = File.OpenRead(file);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        return Release(file, version, OnnxModelContract.Read(file), sha256, latencyBudgetMs, name);
    }

    public static ModelReleasePayload Release(string file, int version, ModelIo io, string sha256, int? latencyBudgetMs = null, string name = Name) =>
        new("dce/v1", "test-fleet", new TriggerSetTarget(TargetScope.Device, "device-1"), name, version, sha256, new FileInfo(file).Length, io, DateTimeOffset.UnixEpoch)
        {
            LatencyBudgetMs = latencyBudgetMs,
            Board = "test-board",
        };

    /// <summary>The scorer's contract, as a release of a file that is not a model would claim it.</summary>
    public static ModelIo Contract { get; } = new([new ModelTensor("image", "float", [1, 3, 16, 16])], [new ModelTensor("score", "float", [1, 1])]);

    private static string Mean(Graph g) =>
        g.Node("Reshape", [g.Node("ReduceMean", ["image"], Ints("axes", 1, 2, 3), Int("keepdims", 1)), g.Int64s(1, 1)]);

    private static AttributeProto FillWith(float value)
    {
        var tensor = new TensorProto { DataType = (int)DataType.Float };
        tensor.Dims.Add(1);
        tensor.FloatData.Add(value);
        return new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private sealed class Graph
    {
        private readonly GraphProto _graph;
        private int _counter;

        public Graph(string name)
        {
            _graph = new GraphProto { Name = name };
            _graph.Input.Add(Value("image", 1, 3, 16, 16));
        }

        public string Node(string op, string[] inputs, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = op, Name = $"{op}_{_counter++}" };
            node.Input.Add(inputs);
            node.Output.Add($"{op.ToLowerInvariant()}_{_counter++}");
            node.Attribute.Add(attributes);
            _graph.Node.Add(node);
            return node.Output[0];
        }

        public string Int64s(params long[] values)
        {
            var tensor = new TensorProto { Name = $"const_{_counter++}", DataType = (int)DataType.Int64 };
            tensor.Dims.Add(values.Length);
            tensor.Int64Data.Add(values);
            _graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        public string Floats(long[] dims, params float[] values)
        {
            var tensor = new TensorProto { Name = $"const_{_counter++}", DataType = (int)DataType.Float };
            tensor.Dims.Add(dims);
            tensor.FloatData.Add(values);
            _graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        /// <summary>'score' from <paramref name="tensor"/>; a negative dimension is dynamic.</summary>
        public void Output(string tensor, params long[] shape)
        {
            Node("Identity", [tensor]);
            _graph.Node[^1].Output[0] = "score";
            _graph.Output.Add(Value("score", shape.Length == 0 ? [1, 1] : shape));
        }

        public byte[] Build()
        {
            var model = new ModelProto { IrVersion = 8, ProducerName = "dce-tests", ProducerVersion = "1.0.0", ModelVersion = 1, Graph = _graph };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
            return model.ToByteArray();
        }

        private static ValueInfoProto Value(string name, params long[] dims)
        {
            var tensor = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = new TensorShapeProto() };
            tensor.Shape.Dim.Add(dims.Select(d => d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "n" } : new TensorShapeProto.Types.Dimension { DimValue = d }));
            return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
        }
    }
}
