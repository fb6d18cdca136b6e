using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>
/// A staged rollout as the catalog keeps it (the document of a <see cref="Catalog.CatalogRollout"/>):
/// the signed envelopes of every stage, which stage is out, and whether it was halted and why.
/// </summary>
/// <param name="CurrentStage">The last stage published; -1 while none is (a start whose publish failed).</param>
/// <param name="State">planned, running, halted or completed (every stage published).</param>
internal sealed record RolloutPlan(
    string Id,
    string Fleet,
    string Name,
    int Version,
    string Sha256,
    int CanaryPercent,
    IReadOnlyList<RolloutPlanStage> Stages,
    int CurrentStage,
    string State,
    string? HaltReason,
    DateTimeOffset? HaltedAt,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    public const string Planned = "planned";
    public const string Running = "running";
    public const string Halted = "halted";
    public const string Completed = "completed";

    public string ToDocument() => JsonSerializer.Serialize(this, RolloutPlanJsonContext.Default.RolloutPlan);

    /// <exception cref="InvalidDataException">The catalog holds a document this version cannot read.</exception>
    public static RolloutPlan FromDocument(string document)
    {
        try
        {
            return JsonSerializer.Deserialize(document, RolloutPlanJsonContext.Default.RolloutPlan)
                ?? throw new InvalidDataException("The catalog holds a rollout document that is JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The catalog holds a rollout document this service cannot read: {e.Message}", e);
        }
    }
}

/// <param name="Envelopes">Each envelope's JSON as published, one per target.</param>
internal sealed record RolloutPlanStage(IReadOnlyList<RolloutTarget> Targets, IReadOnlyList<string> Envelopes, DateTimeOffset? PublishedAt);

/// <param name="Scope">device, group or fleet.</param>
/// <param name="Topic">The retained release topic the envelope goes to.</param>
internal sealed record RolloutTarget(string Scope, string? Name, string Topic)
{
    public override string ToString() => Name is null ? Scope : $"{Scope}:{Name}";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RolloutPlan))]
internal sealed partial class RolloutPlanJsonContext : JsonSerializerContext;
