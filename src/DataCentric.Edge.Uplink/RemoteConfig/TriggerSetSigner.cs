using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>The fleet manager's side: wraps a trigger set source in a signed envelope.</summary>
public static class TriggerSetSigner
{
    public static TriggerSetEnvelope Sign(TriggerSetPayload payload, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(privateKey);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, UplinkJson.TypeInfo<TriggerSetPayload>());
        var signature = privateKey.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new TriggerSetEnvelope(FleetKeys.KeyIdOf(privateKey), Convert.ToBase64String(bytes), Convert.ToBase64String(signature));
    }

    public static byte[] Serialize(TriggerSetEnvelope envelope) => JsonSerializer.SerializeToUtf8Bytes(envelope, UplinkJson.TypeInfo<TriggerSetEnvelope>());
}
