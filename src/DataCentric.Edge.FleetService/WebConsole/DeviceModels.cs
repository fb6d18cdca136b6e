using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.Models;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>One device's newest model release ack per model name, for the live fleet page.</summary>
internal sealed class DeviceModels
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, CatalogModelRelease> _byName = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="release"/> when it is at least as new as the one held for its model; false when it is older.</summary>
    public bool Offer(CatalogModelRelease release)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(release.Name, out var held) && held.At > release.At)
            {
                return false;
            }

            _byName[release.Name] = release;
            return true;
        }
    }

    public IReadOnlyList<ApiDeviceModel> Snapshot()
    {
        lock (_lock)
        {
            return [.. _byName.Values.Select(r => r.ToDeviceModel())];
        }
    }
}
