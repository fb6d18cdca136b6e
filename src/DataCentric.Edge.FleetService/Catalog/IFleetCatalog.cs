namespace DataCentric.Edge.FleetService.Catalog;

/// <summary>
/// The fleet catalog: devices, events, clips, per-trigger counters and pulls. PostgreSQL for a
/// fleet (<see cref="Postgres.PostgresFleetCatalog"/>, shared by every receiver), one LiteDB file
/// for the laptop and the demo (<see cref="LiteDb.LiteDbFleetCatalog"/>); both pass the same
/// contract tests. Times are stored to the microsecond (PostgreSQL's precision), in UTC.
/// </summary>
public interface IFleetCatalog : IFleetIngest, IFleetQueries, IPullRequests;
