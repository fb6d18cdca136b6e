using System.Net.NetworkInformation;

namespace DataCentric.Edge.Uplink.Upload;

/// <summary>Unmetered means one of the configured interfaces (e.g. wlan0, eth0) is up.</summary>
public sealed class NetworkInterfaceState(IReadOnlyCollection<string> unmeteredInterfaces) : INetworkState
{
    public bool IsUnmeteredUp =>
        NetworkInterface.GetAllNetworkInterfaces().Any(n =>
            n.OperationalStatus == OperationalStatus.Up && unmeteredInterfaces.Contains(n.Name, StringComparer.Ordinal));
}
