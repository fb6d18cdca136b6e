using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Uplink.Tests.Models;

/// <summary>
/// A directory shaped like one machine's /proc/net/route and /sys/class/net: which interface holds
/// the default route and which interfaces are wireless is hardware, so the test decides it here.
/// </summary>
internal sealed class FakeSystemRoot : IDisposable
{
    private readonly TempDirectory _dir = new("dce-sysroot");

    public string Path => _dir.Path;

    /// <summary>The default route goes through <paramref name="iface"/>; <paramref name="wireless"/> gives it a wireless folder.</summary>
    public void DefaultRouteThrough(string iface, bool wireless)
    {
        Directory.CreateDirectory(_dir.Combine("proc", "net"));
        File.WriteAllText(_dir.Combine("proc", "net", "route"), string.Join('\n',
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            $"{iface}\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
            $"{iface}\t0000A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0",
            string.Empty));
        var net = _dir.Combine("sys", "class", "net", iface);
        Directory.CreateDirectory(net);
        if (wireless)
        {
            Directory.CreateDirectory(System.IO.Path.Combine(net, "wireless"));
        }
    }

    public void Dispose() => _dir.Dispose();
}
