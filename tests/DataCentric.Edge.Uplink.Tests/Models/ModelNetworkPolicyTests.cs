using DataCentric.Edge.Uplink.Models;

namespace DataCentric.Edge.Uplink.Tests.Models;

public sealed class ModelNetworkPolicyTests
{
    [Fact]
    public void DefaultRoute_IsTheUpRouteToEverywhere_WithTheLowestMetric()
    {
        string[] table =
        [
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            "eth0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
            "wlan0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
            "usb0\t00000000\t0103A8C0\t0002\t0\t0\t1\t00000000\t0\t0\t0",
            "eth1\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
        ];

        Assert.Equal("wlan0", ModelNetworkPolicy.DefaultRouteInterface(table));
        Assert.Null(ModelNetworkPolicy.DefaultRouteInterface(table.Take(1)));
    }

    [Fact]
    public void AllowedInterfaces_AndWifiOnly_SayWhichRouteIsRefused()
    {
        using var root = new FakeSystemRoot();
        root.DefaultRouteThrough("eth0", wireless: false);

        Assert.Null(new ModelNetworkPolicy(false, ["eth0"], root.Path).WhyNot());
        Assert.Contains("through eth0, not one of ModelReleases:AllowedInterfaces (wlan0)", new ModelNetworkPolicy(false, ["wlan0"], root.Path).WhyNot(), StringComparison.Ordinal);
        Assert.Contains("eth0, which is not wireless", new ModelNetworkPolicy(true, [], root.Path).WhyNot(), StringComparison.Ordinal);
        Assert.StartsWith("cannot read the routing table", new ModelNetworkPolicy(true, [], Path.Combine(root.Path, "missing")).WhyNot(), StringComparison.Ordinal);
        Assert.Null(new ModelNetworkPolicy(false, [], "/nonexistent").WhyNot());
    }
}
