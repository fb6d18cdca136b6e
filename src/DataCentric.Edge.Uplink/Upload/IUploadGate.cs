using DataCentric.Edge.Core.Storage;

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>Decides whether a stored clip may leave the device now (its triggers' upload policy, the network, requests).</summary>
public interface IUploadGate
{
    bool MayUpload(StoredClip clip);
}
