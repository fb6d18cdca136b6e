namespace DataCentric.Edge.Core.Contracts;

/// <summary>
/// What the fleet manager signs for a model release, carried in the same signed envelope as a
/// trigger set (<see cref="TriggerSetEnvelope"/>: the payload's exact bytes and a fleet-key
/// signature over them). It describes the ONNX file (hash and size, so the delivered bytes can be
/// checked) and the contract the device's adapters need, read from the file with ONNX Runtime.
/// </summary>
public sealed record ModelReleasePayload(
    string Contract,
    string Fleet,
    TriggerSetTarget Target,
    string Name,
    int Version,
    string Sha256,
    long SizeBytes,
    ModelIo Io,
    DateTimeOffset SignedAt)
{
    /// <summary>Expected inference latency on <see cref="Board"/>; the later probation compares with it.</summary>
    public int? LatencyBudgetMs { get; init; }

    /// <summary>The board the latency budget was measured for (a firmware-config board name).</summary>
    public string? Board { get; init; }

    /// <summary>The oldest agent version that may run this model (major.minor[.patch]).</summary>
    public string? MinAgentVersion { get; init; }
}

/// <summary>A model's inputs and outputs as ONNX Runtime reports them.</summary>
public sealed record ModelIo(IReadOnlyList<ModelTensor> Inputs, IReadOnlyList<ModelTensor> Outputs);

/// <summary>
/// One input or output tensor: its name, element type (ONNX Runtime's name: <c>float</c>, <c>uint8</c>, …)
/// and shape, -1 where a dimension is dynamic.
/// </summary>
public sealed record ModelTensor(string Name, string Element, IReadOnlyList<long> Shape)
{
    public override string ToString() => $"'{Name}' {Element}[{string.Join(",", Shape)}]";
}

/// <summary>
/// Whether a model's inputs and outputs fit what the device is configured to feed it and read from
/// it (its pre-processing and its output adapter). The device's inference layer implements it.
/// </summary>
public interface IModelContractCheck
{
    /// <summary>Every way <paramref name="io"/> does not fit the model configured as <paramref name="modelName"/>; empty when it fits.</summary>
    IReadOnlyList<string> Problems(string modelName, ModelIo io);
}
