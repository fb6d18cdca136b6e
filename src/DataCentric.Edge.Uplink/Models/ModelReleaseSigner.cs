using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>The fleet manager's side: a release manifest in the fleet's signed envelope, as trigger sets are.</summary>
public static class ModelReleaseSigner
{
    public static byte[] Sign(ModelReleasePayload release, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(privateKey);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(release, UplinkJson.TypeInfo<ModelReleasePayload>());
        return FleetSignature.Serialize(FleetSignature.Sign(bytes, privateKey));
    }
}
