using DataCentric.Edge.FleetService.Catalog.Staging;

namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// The fleet catalog: devices, events, clips, per-trigger counters, pulls, and the clip uploads
/// staged while their chunks arrive. PostgreSQL for a
/// fleet (<see cref="Postgres.PostgresFleetCatalog"/>, shared by every receiver), one LiteDB file
/// for the laptop and the demo (<see cref="LiteDb.LiteDbFleetCatalog"/>); both pass the same
/// contract tests. Times are stored to the microsecond (PostgreSQL's precision), in UTC.
/// </summary>
public interface IFleetCatalog : IFleetIngest, IFleetQueries, IPullRequests, IClipStaging, IModelReleases, IDatasetReports, Comparison.IModelComparisons;
