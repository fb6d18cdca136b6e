using System.Globalization;
using System.Text;
using DataCentric.Edge.FleetService.Catalog.Staging;
using DataCentric.Edge.FleetService.Receiving;
using DataCentric.Edge.FleetService.Tracking;

namespace DataCentric.Edge.FleetService.Metrics;

/// <summary>This instance's counters in the Prometheus text format (version 0.0.4): what an operator alerts on.</summary>
internal static class FleetMetrics
{
    public static string Render(ReceiverCounters? receiver, bool receiverConnected, TrackerCounters? tracker, bool trackerConnected, StagingUsage? staging)
    {
        var text = new StringBuilder();
        if (receiver is not null)
        {
            Counter(text, "dce_fleet_receiver_manifests_total", "Manifests staged (new or changed).", receiver.Manifests);
            Counter(text, "dce_fleet_receiver_chunks_total", "Chunks staged.", receiver.Chunks);
            Counter(text, "dce_fleet_receiver_duplicates_total", "Manifests and chunks already staged or catalogued (harmless resends).", receiver.Duplicates);
            Counter(text, "dce_fleet_receiver_clips_completed_total", "Clips stored, catalogued and acknowledged by this instance.", receiver.Completed);
            Counter(text, "dce_fleet_receiver_hash_mismatches_total", "Clips whose bytes did not match their manifest (answered hashMismatch).", receiver.HashMismatches);
            Counter(text, "dce_fleet_receiver_refused_total", "Messages refused: unreadable, foreign, oversized or disagreeing with what is held.", receiver.Refused);
            Counter(text, "dce_fleet_receiver_store_failures_total", "Assemblies that failed on the object store or the catalog (retried by the sweep).", receiver.StoreFailures);
            Counter(text, "dce_fleet_receiver_ack_failures_total", "Clip acks that could not be published.", receiver.AckFailures);
            Gauge(text, "dce_fleet_receiver_connected", "1 while the receiver's MQTT session is up.", receiverConnected ? 1 : 0);
        }

        if (tracker is not null)
        {
            Counter(text, "dce_fleet_tracker_stored_total", "Status, event and counter messages written to the catalog.", tracker.Stored);
            Counter(text, "dce_fleet_tracker_refused_total", "Messages naming another fleet or device than their topic, or conflicting with the catalog.", tracker.Refused);
            Counter(text, "dce_fleet_tracker_unparseable_total", "Messages that are not the contract's JSON.", tracker.Unparseable);
            Counter(text, "dce_fleet_tracker_catalog_failures_total", "Catalog writes that failed (left unacknowledged).", tracker.CatalogFailures);
            Gauge(text, "dce_fleet_tracker_connected", "1 while the tracker's MQTT session is up.", trackerConnected ? 1 : 0);
        }

        if (staging is not null)
        {
            Gauge(text, "dce_fleet_staging_uploads", "Clip uploads staged (fleet-wide).", staging.Uploads);
            Gauge(text, "dce_fleet_staging_chunks", "Chunks staged (fleet-wide).", staging.Chunks);
            Gauge(text, "dce_fleet_staging_bytes", "Bytes of staged chunks (fleet-wide).", staging.Bytes);
        }

        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "gauge", value);

    private static void Metric(StringBuilder text, string name, string help, string type, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
