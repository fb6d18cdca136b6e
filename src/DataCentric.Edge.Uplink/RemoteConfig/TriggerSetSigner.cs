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
        return FleetSignature.Sign(bytes, privateKey);
    }

    public static byte[] Serialize(TriggerSetEnvelope envelope) => FleetSignature.Serialize(envelope);
}
