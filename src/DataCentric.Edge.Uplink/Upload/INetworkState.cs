namespace DataCentric.Edge.Uplink.Upload;

/// <summary>What the uploader needs to know about the device's network, behind a seam so tests set it.</summary>
public interface INetworkState
{
    /// <summary>True when an unmetered link (Wi-Fi, wired) is up: the <c>wifiOnly</c> policy's condition.</summary>
    bool IsUnmeteredUp { get; }
}
