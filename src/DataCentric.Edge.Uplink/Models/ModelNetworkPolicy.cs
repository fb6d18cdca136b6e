using System.Globalization;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// Whether the device's network lets a model download run now (<c>ModelReleases:WifiOnly</c>,
/// <c>ModelReleases:AllowedInterfaces</c>): the interface carrying the default route, read from
/// <c>/proc/net/route</c> (lowest metric among the up default routes), and whether it is wireless
/// (<c>/sys/class/net/IF/wireless</c> exists). The root is a parameter so a test can give a
/// directory shaped like one machine's /proc and /sys.
/// </summary>
public sealed class ModelNetworkPolicy
{
    private const int RouteUp = 0x1;
    private readonly string _root;
    private readonly bool _wifiOnly;
    private readonly IReadOnlyCollection<string> _allowed;

    public ModelNetworkPolicy(bool wifiOnly, IReadOnlyCollection<string> allowedInterfaces, string root = "/")
    {
        ArgumentNullException.ThrowIfNull(allowedInterfaces);
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _wifiOnly = wifiOnly;
        _allowed = allowedInterfaces;
        _root = root;
    }

    public bool Restricted => _wifiOnly || _allowed.Count > 0;

    /// <summary>Null when a download may run now; otherwise why not, for the ack.</summary>
    public string? WhyNot()
    {
        if (!Restricted)
        {
            return null;
        }

        var routes = Path.Combine(_root, "proc", "net", "route");
        string? route;
        try
        {
            route = DefaultRouteInterface(File.ReadAllLines(routes));
        }
        catch (IOException e)
        {
            return $"cannot read the routing table {routes}: {e.Message}";
        }

        if (route is null)
        {
            return $"no default route in {routes}";
        }

        if (_allowed.Count > 0 && !_allowed.Contains(route, StringComparer.Ordinal))
        {
            return $"the default route goes through {route}, not one of ModelReleases:AllowedInterfaces ({string.Join(", ", _allowed)})";
        }

        if (_wifiOnly && !Directory.Exists(Path.Combine(_root, "sys", "class", "net", route, "wireless")))
        {
            return $"the default route goes through {route}, which is not wireless (ModelReleases:WifiOnly)";
        }

        return null;
    }

    /// <summary>The interface of the up default route (destination and mask 0) with the lowest metric; null when none.</summary>
    internal static string? DefaultRouteInterface(IEnumerable<string> routeTable)
    {
        // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT, hex fields; a header line first.
        string? best = null;
        var bestMetric = long.MaxValue;
        foreach (var line in routeTable.Skip(1))
        {
            var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8 || f[1] != "00000000" || f[7] != "00000000"
                || !int.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) || (flags & RouteUp) == 0
                || !long.TryParse(f[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var metric))
            {
                continue;
            }

            if (metric < bestMetric)
            {
                (best, bestMetric) = (f[0], metric);
            }
        }

        return best;
    }
}
