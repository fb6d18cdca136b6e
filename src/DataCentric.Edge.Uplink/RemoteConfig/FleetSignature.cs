using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>
/// The fleet's signed envelope, shared by everything the fleet pushes (trigger sets, model releases):
/// the payload's exact bytes in base64 and an ECDSA P-256 / SHA-256 signature over them (IEEE P1363).
/// The signature covers bytes, not re-serialised JSON, so no canonical form is needed.
/// </summary>
public static class FleetSignature
{
    public static TriggerSetEnvelope Sign(ReadOnlySpan<byte> payload, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var signature = privateKey.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new TriggerSetEnvelope(FleetKeys.KeyIdOf(privateKey), Convert.ToBase64String(payload), Convert.ToBase64String(signature));
    }

    public static byte[] Serialize(TriggerSetEnvelope envelope) => JsonSerializer.SerializeToUtf8Bytes(envelope, UplinkJson.TypeInfo<TriggerSetEnvelope>());

    /// <summary>
    /// Checks size, envelope, key and signature, in that order, and stops at the first failure:
    /// nothing unsigned is even parsed. <paramref name="what"/> names the payload in messages ("trigger set").
    /// </summary>
    public static SignedPayload Open(ReadOnlySpan<byte> envelopeBytes, IReadOnlyDictionary<string, ECDsa> trustedKeys, int maxEnvelopeBytes, string what)
    {
        ArgumentNullException.ThrowIfNull(trustedKeys);
        if (envelopeBytes.Length > maxEnvelopeBytes)
        {
            return SignedPayload.Refused(SignatureFailure.TooLarge, null, $"envelope is {envelopeBytes.Length} bytes, the limit is {maxEnvelopeBytes}");
        }

        TriggerSetEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(envelopeBytes, UplinkJson.TypeInfo<TriggerSetEnvelope>());
        }
        catch (JsonException e)
        {
            return SignedPayload.Refused(SignatureFailure.NotAnEnvelope, null, $"not a signed {what} envelope: {e.Message}");
        }

        if (envelope is null || string.IsNullOrEmpty(envelope.Payload))
        {
            return SignedPayload.Refused(SignatureFailure.NotAnEnvelope, null, $"not a signed {what} envelope: no payload");
        }

        if (string.IsNullOrEmpty(envelope.Signature) || string.IsNullOrEmpty(envelope.KeyId))
        {
            return SignedPayload.Refused(SignatureFailure.Unsigned, envelope.KeyId, "unsigned: the envelope has no signature or key id");
        }

        if (!trustedKeys.TryGetValue(envelope.KeyId, out var key))
        {
            return SignedPayload.Refused(SignatureFailure.UntrustedKey, envelope.KeyId, $"signed by key {envelope.KeyId}, which this device does not trust");
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
            return SignedPayload.Refused(SignatureFailure.NotAnEnvelope, envelope.KeyId, "payload or signature is not base64");
        }

        if (!key.VerifyData(payloadBytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return SignedPayload.Refused(SignatureFailure.Forged, envelope.KeyId, $"signature does not verify with key {envelope.KeyId}: forged or altered");
        }

        return new SignedPayload(payloadBytes, envelope.KeyId, null, null);
    }
}

/// <summary>Why an envelope was not opened.</summary>
public enum SignatureFailure
{
    TooLarge,
    NotAnEnvelope,
    Unsigned,
    UntrustedKey,
    Forged,
}

/// <summary>The verified payload bytes and the key that signed them, or why there are none.</summary>
public sealed record SignedPayload(byte[]? Payload, string? KeyId, SignatureFailure? Failure, string? Error)
{
    public static SignedPayload Refused(SignatureFailure failure, string? keyId, string error) => new(null, keyId, failure, error);
}
