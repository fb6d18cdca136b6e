namespace DataCentric.Edge.FleetService.Tracking;

/// <summary>What the tracker did with the messages it got, since it started (read by tests and metrics).</summary>
public sealed class TrackerCounters
{
    private long _stored;
    private long _refused;
    private long _unparseable;
    private long _catalogFailures;

    /// <summary>Messages written to the catalog (a replay the catalog already held included) and acknowledged.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Payloads whose fleet or device disagree with the topic's, or that conflict with what the catalog holds: acknowledged, not stored.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Payloads that are not the contract's JSON or hold invalid values: acknowledged, not stored.</summary>
    public long Unparseable => Interlocked.Read(ref _unparseable);

    /// <summary>Catalog writes that failed: the message was not acknowledged (the broker redelivers it).</summary>
    public long CatalogFailures => Interlocked.Read(ref _catalogFailures);

    internal void AddStored() => Interlocked.Increment(ref _stored);

    internal void AddRefused() => Interlocked.Increment(ref _refused);

    internal void AddUnparseable() => Interlocked.Increment(ref _unparseable);

    internal void AddCatalogFailure() => Interlocked.Increment(ref _catalogFailures);
}
