using System.Security.Cryptography;
using System.Text;

namespace DataCentric.Edge.FleetService.Models;

/// <summary>
/// Picks a rollout's canaries deterministically: the fleet's known devices ordered by SHA-256 of
/// "fleet/device" (a stable spread that does not follow naming, e.g. all of one site), the first
/// ceil(count × percent / 100), at least one. The same fleet and percent give the same canaries until
/// a device joins.
/// </summary>
internal static class CanaryPicker
{
    public static IReadOnlyList<string> Pick(string fleet, IEnumerable<string> devices, int percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var ordered = devices.Distinct(StringComparer.Ordinal).OrderBy(d => Rank(fleet, d), StringComparer.Ordinal).ThenBy(d => d, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            return [];
        }

        var count = Math.Max(1, (int)Math.Ceiling(ordered.Count * percent / 100.0));
        return ordered[..count];
    }

    private static string Rank(string fleet, string device) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{fleet}/{device}")));
}
