namespace DataCentric.Edge.FleetService.Receiving;

/// <summary>What the clip receiver did since it started: for metrics, logs and tests.</summary>
public sealed class ReceiverCounters
{
    private long _manifests;
    private long _chunks;
    private long _duplicates;
    private long _completed;
    private long _hashMismatches;
    private long _refused;
    private long _storeFailures;
    private long _ackFailures;

    /// <summary>Manifests staged (new or changed).</summary>
    public long Manifests => Interlocked.Read(ref _manifests);

    /// <summary>Chunks staged (new).</summary>
    public long Chunks => Interlocked.Read(ref _chunks);

    /// <summary>Manifests and chunks that were already staged or catalogued: harmless resends.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Clips stored in the object store, catalogued and acknowledged by this instance.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Clips whose bytes did not match their manifest: discarded, answered <c>hashMismatch</c>.</summary>
    public long HashMismatches => Interlocked.Read(ref _hashMismatches);

    /// <summary>Messages refused: unreadable, naming another fleet or device than their topic, oversized, or disagreeing with what is held.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Assemblies that failed on the object store or the catalog (retried by the sweep).</summary>
    public long StoreFailures => Interlocked.Read(ref _storeFailures);

    /// <summary>Acks that could not be published (the device sends the manifest again and gets "already held").</summary>
    public long AckFailures => Interlocked.Read(ref _ackFailures);

    internal void AddManifest() => Interlocked.Increment(ref _manifests);

    internal void AddChunk() => Interlocked.Increment(ref _chunks);

    internal void AddDuplicate() => Interlocked.Increment(ref _duplicates);

    internal void AddCompleted() => Interlocked.Increment(ref _completed);

    internal void AddHashMismatch() => Interlocked.Increment(ref _hashMismatches);

    internal void AddRefused() => Interlocked.Increment(ref _refused);

    internal void AddStoreFailure() => Interlocked.Increment(ref _storeFailures);

    internal void AddAckFailure() => Interlocked.Increment(ref _ackFailures);
}
