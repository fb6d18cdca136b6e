using System.Security.Cryptography;
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
        if (envelopeBytes.Length > device.MaxEnvelopeBytes)
        {
            return Refused(null, $"envelope is {envelopeBytes.Length} bytes, the limit is {device.MaxEnvelopeBytes}");
        }

        TriggerSetEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(envelopeBytes, UplinkJson.TypeInfo<TriggerSetEnvelope>());
        }
        catch (JsonException e)
        {
            return Refused(null, $"not a signed trigger set envelope: {e.Message}");
        }

        if (envelope is null || string.IsNullOrEmpty(envelope.Payload))
        {
            return Refused(null, "not a signed trigger set envelope: no payload");
        }

        if (string.IsNullOrEmpty(envelope.Signature) || string.IsNullOrEmpty(envelope.KeyId))
        {
            return Refused(envelope.KeyId, "unsigned: the envelope has no signature or key id");
        }

        if (!device.TrustedKeys.TryGetValue(envelope.KeyId, out var key))
        {
            return Refused(envelope.KeyId, $"signed by key {envelope.KeyId}, which this device does not trust");
        }

        byte[] payloadBytes;
        byte[] signature;
        try
        {
            payloadBytes = Convert.FromBase64String(envelope.Payload);
            signature = Convert.FromBase64String(envelope.Signature);
        }
        catch (FormatException)
        {
            return Refused(envelope.KeyId, "payload or signature is not base64");
        }

        if (!key.VerifyData(payloadBytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return Refused(envelope.KeyId, $"signature does not verify with key {envelope.KeyId}: forged or altered");
        }

        TriggerSetPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(payloadBytes, UplinkJson.TypeInfo<TriggerSetPayload>());
        }
        catch (JsonException e)
        {
            return Refused(envelope.KeyId, $"signed payload is not valid: {e.Message}");
        }

        if (payload is null || payload.Target is null || payload.Source is null || payload.Fleet is null)
        {
            return Refused(envelope.KeyId, "signed payload lacks fleet, target or source");
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

        var target = payload.Target;
        var forMe = target.Scope switch
        {
            TargetScope.Device => target.Name == device.Device,
            TargetScope.Group => target.Name is not null && device.Groups.Contains(target.Name),
            TargetScope.Fleet => true,
            _ => false,
        };
        if (!forMe)
        {
            errors.Add($"targets {target.Scope.ToString().ToLowerInvariant()} '{target.Name}', not this device ({device.Device}, groups: {string.Join(", ", device.Groups)})");
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

        return new TriggerSetVerification(errors.Count == 0 ? compiled.Set : null, payload, envelope.KeyId, errors);
    }

    private static TriggerSetVerification Refused(string? keyId, string error) => new(null, null, keyId, [error]);
}
