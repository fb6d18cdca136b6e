using Onnx;

namespace DataCentric.Edge.Quantize;

/// <summary>
/// Moves a checked model (<see cref="SupportedModel.CheckOperators"/>) to opset 13 and IR version 7:
/// per-channel QuantizeLinear/DequantizeLinear (the axis attribute) exist from opset 13. Initializers
/// are dropped from the graph inputs (IR 3 listed them there; from IR 4 they need not be, and a
/// listed one would be an input the engine's single-input check counts).
/// </summary>
public static class OpsetUpgrade
{
    public const int TargetOpset = 13;
    public const int TargetIrVersion = 7;

    public static void Apply(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        GraphEdits.Keep(graph.Input, i => !initializers.Contains(i.Name));

        model.IrVersion = TargetIrVersion;
        model.OpsetImport.Clear();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = TargetOpset });
    }
}
