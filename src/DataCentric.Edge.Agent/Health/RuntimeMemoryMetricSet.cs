using Prometheus;

namespace DataCentric.Edge.Agent.Health;

/// <summary>
/// The process's memory as the runtime sees it, read at scrape time from the GC's own figures (no
/// event listeners): resident memory alone cannot tell a managed leak from the collector's
/// sawtooth or from a native heap, and a fleet operator watching a board needs to know which.
/// </summary>
internal static class RuntimeMemoryMetricSet
{
    public static void Register(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var resident = factory.CreateGauge("dce_process_resident_bytes", "Resident memory of the agent process (all of it: managed, native, code).");
        var heap = factory.CreateGauge("dce_gc_heap_bytes", "Managed heap size at the end of the last garbage collection, free space inside it included.");
        var fragmented = factory.CreateGauge("dce_gc_fragmented_bytes", "Free space inside the managed heap at the end of the last garbage collection.");
        var committed = factory.CreateGauge("dce_gc_committed_bytes", "Memory the garbage collector holds committed (what of the managed heap can be resident).");
        var collections = factory.CreateCounter("dce_gc_collections_total", "Garbage collections, by generation (a gen2 collection counts in gen0 and gen1 too).", "generation");

        registry.AddBeforeCollectCallback(() =>
        {
            var info = GC.GetGCMemoryInfo();
            resident.Set(Environment.WorkingSet);
            heap.Set(info.HeapSizeBytes);
            fragmented.Set(info.FragmentedBytes);
            committed.Set(info.TotalCommittedBytes);
            for (var generation = 0; generation <= GC.MaxGeneration; generation++)
            {
                collections.WithLabels($"{generation}").IncTo(GC.CollectionCount(generation));
            }
        });
    }
}
