using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.Core.Triggers.Documents;

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>
/// A clip goes up under the most permissive policy of the triggers that made it (one trigger that
/// wants it now is enough); a trigger no longer in the active set counts as <c>immediate</c>.
/// <c>wifiOnly</c> waits for an unmetered link; <c>onRequest</c> waits for a pull command.
/// </summary>
public sealed class UploadPolicyGate(Func<string, UploadPolicy?> policyOfTrigger, INetworkState network, UploadRequests requests) : IUploadGate
{
    public bool MayUpload(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (requests.IsRequested(clip.ClipId))
        {
            return true;
        }

        var policy = PolicyOf(clip);
        return policy switch
        {
            UploadPolicy.Immediate => true,
            UploadPolicy.WifiOnly => network.IsUnmeteredUp,
            _ => false,
        };
    }

    public UploadPolicy PolicyOf(StoredClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.TriggerIds.Count == 0)
        {
            return UploadPolicy.Immediate;
        }

        // Enum order is most to least permissive: the smallest wins.
        return clip.TriggerIds.Select(id => policyOfTrigger(id) ?? UploadPolicy.Immediate).Min();
    }
}
