using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>Who produces and who consumes each tensor of a graph, taken once; rebuild it after a rewrite.</summary>
internal sealed class GraphIndex
{
    private static readonly List<NodeProto> None = [];
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);

    public GraphIndex(GraphProto graph)
    {
        Graph = graph;
        Initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        GraphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        GraphInputs = graph.Input.Select(i => i.Name).Where(n => !Initializers.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                _producers[output] = node;
            }

            foreach (var input in node.Input.Where(i => i.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!_consumers.TryGetValue(input, out var list))
                {
                    _consumers[input] = list = [];
                }

                list.Add(node);
            }
        }
    }

    public GraphProto Graph { get; }

    public IReadOnlyDictionary<string, TensorProto> Initializers { get; }

    public IReadOnlySet<string> GraphOutputs { get; }

    /// <summary>The graph's real inputs (initializers listed as inputs, as IR 3 requires, left out).</summary>
    public IReadOnlySet<string> GraphInputs { get; }

    public NodeProto? ProducerOf(string tensor) => _producers.GetValueOrDefault(tensor);

    public IReadOnlyList<NodeProto> ConsumersOf(string tensor) => _consumers.GetValueOrDefault(tensor) ?? None;

    /// <summary>"Conv node 'Convolution249'" (or the tensor it writes when it has no name), for messages.</summary>
    public static string Describe(NodeProto node) =>
        node.Name.Length > 0 ? $"{node.OpType} node '{node.Name}'" : $"unnamed {node.OpType} node (output '{node.Output.FirstOrDefault()}')";
}
