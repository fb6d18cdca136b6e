using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using Microsoft.AspNetCore.Http.Features;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// <c>POST /api/triggers/push</c>: publishes a signed trigger set envelope, as <c>edgectl triggers sign</c>
/// writes it, retained on its target's topic through the <see cref="OperatorLink"/>. The service checks
/// the envelope's shape and target only; the signature is the devices' to verify (the service never
/// holds the fleet key), so a forged set is published and then rejected by every device.
/// </summary>
internal sealed class TriggerPushEndpoint(OperatorLink link, ILogger<TriggerPushEndpoint> logger)
{
    public const long MaxBodyBytes = 1024 * 1024;

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        _ = new ApiQuery(context.Request);
        if (!link.IsConfigured)
        {
            return ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", OperatorLink.NotConfiguredReason);
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var payload = Check(body);
        var (topic, failure) = await PublishAsync(body, payload, ApiCaller.Of(context)?.Name ?? "?", context.RequestAborted).ConfigureAwait(false);
        return failure is not null
            ? ApiProblems.Of(StatusCodes.Status503ServiceUnavailable, "Service unavailable", failure)
            : Results.Json(new ApiTriggerPush(topic, payload.Version), FleetApiJsonContext.Default.ApiTriggerPush, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Publishes a <see cref="Check"/>ed envelope's exact bytes retained on its target's topic (also the console's approved pushes).</summary>
    /// <returns>The topic, and why it was not published (the broker cannot be reached), or null.</returns>
    internal async Task<(string Topic, string? Failure)> PublishAsync(byte[] body, TriggerSetPayload payload, string by, CancellationToken cancellationToken)
    {
        var topic = TopicOf(payload);
        if (!link.IsConfigured)
        {
            return (topic, OperatorLink.NotConfiguredReason);
        }

        try
        {
            var client = await link.GetClientAsync(cancellationToken).ConfigureAwait(false);
            await client.PublishRetainedAsync(topic, body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            OperatorLog.TriggerSetPushFailed(logger, topic, e);
            return (topic, $"trigger set not published on {topic}: {e.Message}");
        }

        OperatorLog.TriggerSetPushed(logger, payload.Version, topic, by);
        return (topic, null);
    }

    /// <summary>The envelope's payload when the envelope is well formed; otherwise a 400 naming the field.</summary>
    internal static TriggerSetPayload Check(byte[] body)
    {
        TriggerSetEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, UplinkJson.TypeInfo<TriggerSetEnvelope>());
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"the body is not a signed trigger set envelope {{keyId, payload, signature}}: {e.Message}", e);
        }

        if (envelope is null)
        {
            throw new ApiInputException("the body is JSON null; send the envelope edgectl triggers sign writes");
        }

        Require(envelope.KeyId, "keyId");
        Require(envelope.Signature, "signature");
        Require(envelope.Payload, "payload");
        if (!IsBase64(envelope.Signature))
        {
            throw new ApiInputException("envelope field 'signature': not base64");
        }

        TriggerSetPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Convert.FromBase64String(envelope.Payload), UplinkJson.TypeInfo<TriggerSetPayload>());
        }
        catch (FormatException)
        {
            throw new ApiInputException("envelope field 'payload': not base64");
        }
        catch (JsonException e)
        {
            throw new ApiInputException($"envelope field 'payload': not a trigger set payload: {e.Message}", e);
        }

        if (payload is null)
        {
            throw new ApiInputException("envelope field 'payload': JSON null");
        }

        if (payload.Contract != FleetTopics.Root)
        {
            throw new ApiInputException($"payload field 'contract': '{payload.Contract}' is not {FleetTopics.Root}");
        }

        Require(payload.Fleet, "fleet", "payload");
        Require(payload.Source, "source", "payload");
        if (payload.Target is null || !Enum.IsDefined(payload.Target.Scope))
        {
            throw new ApiInputException("payload field 'target': required, with scope device, group or fleet");
        }

        if (payload.Target.Scope != TargetScope.Fleet && string.IsNullOrWhiteSpace(payload.Target.Name))
        {
            throw new ApiInputException($"payload field 'target.name': required for a {payload.Target.Scope.ToString().ToLowerInvariant()} target");
        }

        if (payload.Version < 1)
        {
            throw new ApiInputException($"payload field 'version': {payload.Version} must be at least 1");
        }

        return payload;
    }

    internal static string TopicOf(TriggerSetPayload payload)
    {
        try
        {
            return payload.Target.Scope switch
            {
                TargetScope.Device => new FleetTopics(payload.Fleet, payload.Target.Name!).DeviceTriggerSet,
                TargetScope.Group => FleetTopics.GroupTriggerSet(payload.Fleet, payload.Target.Name!),
                _ => FleetTopics.FleetTriggerSetOf(payload.Fleet),
            };
        }
        catch (ArgumentException e)
        {
            var field = e.ParamName == "fleet" ? "fleet" : "target.name";
            throw new ApiInputException($"payload field '{field}': {e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)}", e);
        }
    }

    private static void Require(string? value, string field, string where = "envelope")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ApiInputException($"{where} field '{field}': required");
        }
    }

    private static bool IsBase64(string value) => Convert.TryFromBase64String(value, new byte[value.Length], out _);

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new ApiInputException("the body must be JSON (Content-Type: application/json): the envelope from edgectl triggers sign");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
