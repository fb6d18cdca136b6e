namespace DataCentric.Edge.Core.Triggers.Documents;

/// <summary>Where each field of a mapped document was written, for errors found after mapping.</summary>
internal sealed class SourcePositions
{
    public static SourcePositions None { get; } = new();

    public Dictionary<string, SourceNode> Root { get; } = new(StringComparer.Ordinal);

    public SourceNode? TriggersNode { get; set; }

    public List<Dictionary<string, SourceNode>> Triggers { get; } = [];

    public List<SourceNode?> TriggerNodes { get; } = [];

    /// <summary>Triggers that were not even a mapping: already reported, not compiled (no cascade of errors).</summary>
    public HashSet<int> Malformed { get; } = [];

    public (int Line, int Column) Of(int? trigger, string field)
    {
        SourceNode? node = null;
        if (trigger is null)
        {
            Root.TryGetValue(field, out node);
        }
        else if (trigger.Value < Triggers.Count)
        {
            if (!Triggers[trigger.Value].TryGetValue(field, out node))
            {
                node = TriggerNodes[trigger.Value];
            }
        }

        return node is null ? (0, 0) : (node.Line, node.Column);
    }

    public SourceScalar? Scalar(int trigger, string field) =>
        trigger < Triggers.Count && Triggers[trigger].TryGetValue(field, out var node) ? node as SourceScalar : null;
}
