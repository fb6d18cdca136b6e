using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>
/// Reads the envelopes of a rollout request: each must be a well-formed signed release of the route's
/// model, all of one fleet, version and file, every target once, the first stage device targets only.
/// The signatures are the devices' to verify (the service never holds the fleet key).
/// </summary>
internal static class RolloutEnvelopes
{
    public const int MaxStages = 10;
    public const int MaxEnvelopes = 1000;

    /// <summary>The release all envelopes describe, and the plan's stages.</summary>
    /// <exception cref="ApiInputException">A field is missing or disagrees; the message names it (e.g. stages[1].envelopes[0].payload.version).</exception>
    public static (ModelReleasePayload Release, List<RolloutPlanStage> Stages) Read(string name, ApiRolloutRequest request)
    {
        if (request.CanaryPercent is < 1 or > 100)
        {
            throw new ApiInputException($"field 'canaryPercent': {request.CanaryPercent} must be 1-100");
        }

        if (request.Stages is not { Count: > 0 and <= MaxStages })
        {
            throw new ApiInputException($"field 'stages': 1-{MaxStages} stages are required (the canaries first)");
        }

        ModelReleasePayload? first = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stages = new List<RolloutPlanStage>();
        for (var i = 0; i < request.Stages.Count; i++)
        {
            var envelopes = request.Stages[i]?.Envelopes;
            if (envelopes is not { Count: > 0 and <= MaxEnvelopes })
            {
                throw new ApiInputException($"field 'stages[{i}].envelopes': 1-{MaxEnvelopes} signed envelopes are required");
            }

            var targets = new List<RolloutTarget>();
            var texts = new List<string>();
            for (var j = 0; j < envelopes.Count; j++)
            {
                var where = $"stages[{i}].envelopes[{j}]";
                var payload = Payload(envelopes[j], where);
                first ??= payload;
                Agree(first, payload, name, where);
                if (i == 0 && payload.Target.Scope != TargetScope.Device)
                {
                    throw new ApiInputException($"field '{where}.payload.target': the canary stage takes device targets only (sign one envelope per canary with --target device:ID), not {Describe(payload.Target)}");
                }

                var target = Target(payload, where);
                if (!seen.Add(target.ToString()))
                {
                    throw new ApiInputException($"field '{where}.payload.target': {target} is targeted twice in the rollout");
                }

                targets.Add(target);
                texts.Add(JsonSerializer.Serialize(envelopes[j], UplinkJson.TypeInfo<TriggerSetEnvelope>()));
            }

            stages.Add(new RolloutPlanStage(targets, texts, null));
        }

        return (first!, stages);
    }

    public static string Describe(TriggerSetTarget target) =>
        target.Scope == TargetScope.Fleet ? "fleet" : $"{target.Scope.ToString().ToLowerInvariant()}:{target.Name}";

    private static ModelReleasePayload Payload(TriggerSetEnvelope? envelope, string where)
    {
        if (envelope is null)
        {
            throw new ApiInputException($"field '{where}': null; send the envelope edgectl models sign writes");
        }

        Require(envelope.KeyId, $"{where}.keyId");
        Require(envelope.Signature, $"{where}.signature");
        Require(envelope.Payload, $"{where}.payload");
        ModelReleasePayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Convert.FromBase64String(envelope.Payload), UplinkJson.TypeInfo<ModelReleasePayload>());
        }
        catch (FormatException)
        {
            throw new ApiInputException($"field '{where}.payload': not base64");
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"field '{where}.payload': not a model release payload: {e.Message}", e);
        }

        if (payload is null)
        {
            throw new ApiInputException($"field '{where}.payload': JSON null");
        }

        if (payload.Contract != FleetTopics.Root)
        {
            throw new ApiInputException($"field '{where}.payload.contract': '{payload.Contract}' is not {FleetTopics.Root}");
        }

        if (payload.Target is null || !Enum.IsDefined(payload.Target.Scope) ||
            (payload.Target.Scope != TargetScope.Fleet && string.IsNullOrWhiteSpace(payload.Target.Name)))
        {
            throw new ApiInputException($"field '{where}.payload.target': required, with scope device, group or fleet and a name for a device or group");
        }

        if (payload.Version < 1)
        {
            throw new ApiInputException($"field '{where}.payload.version': {payload.Version} must be at least 1");
        }

        try
        {
            CatalogGuard.Sha256(payload.Sha256, "sha256");
        }
        catch (ArgumentException)
        {
            throw new ApiInputException($"field '{where}.payload.sha256': '{payload.Sha256}' is not a SHA-256 (64 hex digits)");
        }

        return payload;
    }

    private static void Agree(ModelReleasePayload first, ModelReleasePayload payload, string name, string where)
    {
        if (payload.Name != name)
        {
            throw new ApiInputException($"field '{where}.payload.name': '{payload.Name}' is not the rollout's model '{name}'");
        }

        if (payload.Fleet != first.Fleet)
        {
            throw new ApiInputException($"field '{where}.payload.fleet': '{payload.Fleet}' differs from the first envelope's '{first.Fleet}'");
        }

        if (payload.Version != first.Version)
        {
            throw new ApiInputException($"field '{where}.payload.version': {payload.Version} differs from the first envelope's {first.Version}");
        }

        if (!string.Equals(payload.Sha256, first.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiInputException($"field '{where}.payload.sha256': {payload.Sha256} differs from the first envelope's {first.Sha256} (another file)");
        }
    }

    private static RolloutTarget Target(ModelReleasePayload payload, string where)
    {
        try
        {
            var topic = ModelReleaseTopics.Of(payload.Fleet, payload.Target, ModelRoute.Check(payload.Name, $"{where}.payload.name"));
            return new RolloutTarget(
                payload.Target.Scope.ToString().ToLowerInvariant(), payload.Target.Scope == TargetScope.Fleet ? null : payload.Target.Name, topic);
        }
        catch (ArgumentException e)
        {
            var field = e.ParamName == "fleet" ? "fleet" : "target.name";
            throw new ApiInputException($"field '{where}.payload.{field}': {e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)}", e);
        }
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ApiInputException($"field '{field}': required");
        }
    }
}
