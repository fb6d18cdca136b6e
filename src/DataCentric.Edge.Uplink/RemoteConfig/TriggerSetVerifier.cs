using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>
/// Checks a signed trigger set the way a device must before running it. Size, envelope, key and
/// signature come first and stop the check (nothing unsigned is even parsed); then contract, fleet,
/// target, version and the whole set are checked and every error is reported at once.
/// </summary>
public static class TriggerSetVerifier
{
    public static TriggerSetVerification Verify(ReadOnlySpan<byte> envelopeBytes, TriggerSetDevice device, int activeVersion)
    {
        ArgumentNullException.ThrowIfNull(device);
        var opened = FleetSignature.Open(envelopeBytes, device.TrustedKeys, device.MaxEnvelopeBytes, "trigger set");
        if (opened.Payload is not { } payloadBytes)
        {
            return Refused(opened.KeyId, opened.Error!);
        }

        var keyId = opened.KeyId;
        TriggerSetPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(payloadBytes, UplinkJson.TypeInfo<TriggerSetPayload>());
        }
        catch (JsonException e)
        {
            return Refused(keyId, $"signed payload is not valid: {e.Message}");
        }

        if (payload is null || payload.Target is null || payload.Source is null || payload.Fleet is null)
        {
            return Refused(keyId, "signed payload lacks fleet, target or source");
        }

        var errors = new List<string>();
        if (payload.Contract != FleetTopics.Root)
        {
            errors.Add($"contract '{payload.Contract}' is not {FleetTopics.Root}");
        }

        if (payload.Fleet != device.Fleet)
        {
            errors.Add($"for fleet '{payload.Fleet}', this device is in fleet '{device.Fleet}'");
        }

        if (!FleetTarget.IsFor(payload.Target, device.Device, device.Groups))
        {
            errors.Add(FleetTarget.NotFor(payload.Target, device.Device, device.Groups));
        }

        if (!ActiveTriggerSet.IsNewer(payload.Version, activeVersion))
        {
            errors.Add($"version {payload.Version} is not higher than the active version {activeVersion} (older or replayed)");
        }

        var format = TriggerSourceFormats.FromWire(payload.Format);
        var compiled = TriggerSetCompiler.Compile(payload.Source, format, device.Signals);
        errors.AddRange(compiled.Errors.Select(e => e.ToString()));
        if (compiled.Set is { } set && set.Version != payload.Version)
        {
            errors.Add($"the set says version {set.Version}, the signed envelope version {payload.Version}");
        }

        return new TriggerSetVerification(errors.Count == 0 ? compiled.Set : null, payload, keyId, errors);
    }

    private static TriggerSetVerification Refused(string? keyId, string error) => new(null, null, keyId, [error]);
}
