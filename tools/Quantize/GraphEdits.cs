using Google.Protobuf.Collections;
using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>Small in-place edits of a graph that the folding, the opset move and the QDQ writer share.</summary>
internal static class GraphEdits
{
    /// <summary>
    /// Drops the initializers no node uses any more (the BatchNormalization parameters, the unfolded
    /// weights), their entries in the graph inputs (IR 3 lists them there) and stale value_info.
    /// </summary>
    public static void RemoveUnused(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input.Concat(n.Output)).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        var unused = graph.Initializer.Select(t => t.Name).Where(n => !used.Contains(n)).ToHashSet(StringComparer.Ordinal);
        Keep(graph.Initializer, t => !unused.Contains(t.Name));
        Keep(graph.Input, i => !unused.Contains(i.Name));
        Keep(graph.ValueInfo, v => used.Contains(v.Name));
    }

    /// <summary>Filters a repeated field in place, keeping the order (RepeatedField.Remove compares whole messages).</summary>
    public static void Keep<T>(RepeatedField<T> field, Func<T, bool> keep)
    {
        var kept = field.Where(keep).ToList();
        field.Clear();
        field.Add(kept);
    }
}
