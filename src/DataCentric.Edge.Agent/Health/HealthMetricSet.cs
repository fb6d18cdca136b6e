using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Triggers.Engine;
using Prometheus;

namespace DataCentric.Edge.Agent.Health;

/// <summary>
/// The Prometheus names of the health figures, refreshed from one snapshot per scrape, and the
/// per-trigger counters, read from the trigger engine as the fleet report reads them.
/// </summary>
internal static class HealthMetricSet
{
    public static void Register(CollectorRegistry registry, HealthSampler sampler, TriggerEngine engine)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var captured = factory.CreateCounter("dce_frames_captured_total", "Frames read from the camera.");
        var inferred = factory.CreateCounter("dce_frames_inferred_total", "Frames run through the shadow model.");
        var corrupt = factory.CreateCounter("dce_frames_corrupt_total", "Frames the shadow model skipped as corrupt.");
        var dropped = factory.CreateCounter("dce_frames_dropped_total", "Frames dropped because a stage was behind.", "stage");
        var fps = factory.CreateGauge("dce_frames_per_second", "Captured frames per second since the previous scrape.");
        var latency = factory.CreateGauge("dce_inference_latency_seconds", "Shadow model run time over its last 1024 frames.", "model", "quantile");
        var modelProvider = factory.CreateGauge("dce_model_provider", "1 for the execution provider that runs the shadow model (Cpu, Cuda, TensorRt).", "model", "provider");
        var modelFallback = factory.CreateGauge("dce_model_provider_fallback", "1 when the shadow model does not run on its first configured execution provider (the log and status say why).", "model");
        var modelRunning = factory.CreateGauge("dce_model_running", "1 when the shadow model runs, 0 when it failed to load or was taken out of service (the log and status say why).", "model");
        var queues = factory.CreateGauge("dce_queue_depth", "Items waiting in a pipeline channel.", "queue");
        var dataBytes = factory.CreateGauge("dce_data_directory_bytes", "Bytes in the data directory (catalog and clips).");
        var freeBytes = factory.CreateGauge("dce_data_volume_free_bytes", "Free bytes on the data directory's file system.");
        var backlog = factory.CreateGauge("dce_upload_backlog_clips", "Stored clips not yet uploaded.");
        var triggers = factory.CreateCounter("dce_trigger_events_total", "Trigger events fired.");
        var stored = factory.CreateCounter("dce_clips_stored_total", "Clips stored in the buffer.");
        var uploaded = factory.CreateCounter("dce_clips_uploaded_total", "Clips uploaded.");
        var failures = factory.CreateCounter("dce_clip_failures_total", "Clips that could not be written.");
        // Absent (not 0) until the first frame: a scraper must not read "0 s" as a start-up time.
        var firstFrame = factory.CreateGauge(
            "dce_first_frame_seconds", "Seconds from process start to the first frame through the shadow model.", new GaugeConfiguration { SuppressInitialValue = true });
        var triggerLag = factory.CreateGauge(
            "dce_trigger_evaluation_lag_seconds",
            "How far the last trigger evaluation was behind its tick: triggers are judged at the newest frame the models have finished.",
            new GaugeConfiguration { SuppressInitialValue = true });
        var devices = factory.CreateGauge("dce_device_ok", "1 when a device or part is usable, 0 when missing or faulted (see the log and status for why).", "component", "device");

        registry.AddBeforeCollectCallback(() =>
        {
            var s = sampler.Sample();
            captured.IncTo(s.FramesCaptured);
            inferred.IncTo(s.FramesInferred);
            corrupt.IncTo(s.CorruptFrames);
            foreach (var (stage, count) in s.DroppedFrames)
            {
                dropped.WithLabels(stage).IncTo(count);
            }

            fps.Set(s.FramesPerSecond);
            foreach (var model in s.Models)
            {
                modelRunning.WithLabels(model.Name).Set(model.Running ? 1 : 0);
                if (model.Provider is { } provider)
                {
                    modelProvider.WithLabels(model.Name, provider).Set(1);
                    modelFallback.WithLabels(model.Name).Set(model.ProviderFallback is null ? 0 : 1);
                }
                if (model.P50Seconds is { } p50 && model.P99Seconds is { } p99)
                {
                    latency.WithLabels(model.Name, "0.5").Set(p50);
                    latency.WithLabels(model.Name, "0.99").Set(p99);
                }
            }

            foreach (var (queue, depth) in s.QueueDepths)
            {
                queues.WithLabels(queue).Set(depth);
            }

            dataBytes.Set(s.DataDirectoryBytes);
            freeBytes.Set(s.DataVolumeFreeBytes);
            backlog.Set(s.UploadBacklogClips);
            triggers.IncTo(s.TriggerEvents);
            stored.IncTo(s.ClipsStored);
            uploaded.IncTo(s.ClipsUploaded);
            failures.IncTo(s.ClipFailures);
            if (s.FirstFrameSeconds is { } first)
            {
                firstFrame.Set(first);
            }

            if (s.TriggerLagSeconds is { } lag)
            {
                triggerLag.Set(lag);
            }

            foreach (var device in s.Devices)
            {
                devices.WithLabels(device.Component, device.Device).Set(device.State == ComponentState.Ok ? 1 : 0);
            }
        });

        RegisterTriggerCounters(registry, engine);
    }

    /// <summary>
    /// The per-trigger counters, labelled <c>trigger</c>, read from the engine at each scrape: the same
    /// source as the fleet's <c>TriggerCountersReport</c>, cumulative for the engine's life (never
    /// reset by a set swap or a rollback). A trigger that left the set keeps its last values.
    /// </summary>
    public static void RegisterTriggerCounters(CollectorRegistry registry, TriggerEngine engine)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var evaluations = factory.CreateCounter("dce_trigger_evaluations_total", "Ticks on which a trigger was enabled and considered.", "trigger");
        var fires = factory.CreateCounter("dce_trigger_fires_total", "Accepted fires of a trigger, dry-run fires included.", "trigger");
        var dryRunFires = factory.CreateCounter("dce_trigger_dry_run_fires_total", "Fires of a dry-run trigger (counted and logged, nothing recorded).", "trigger");
        var suppressed = factory.CreateCounter(
            "dce_trigger_suppressed_total",
            "Rising edges of a trigger dropped, by reason: cooldown, sampling (sampleRate), duplicate (minNovelty), budget (maxPerHour, maxBytesPerDay).",
            "trigger",
            "reason");
        var missingSignal = factory.CreateCounter("dce_trigger_missing_signal_total", "Ticks a trigger skipped because a signal it reads was never published or is stale.", "trigger");

        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var t in engine.GetCounters())
            {
                evaluations.WithLabels(t.TriggerId).IncTo(t.Evaluations);
                fires.WithLabels(t.TriggerId).IncTo(t.Fires);
                dryRunFires.WithLabels(t.TriggerId).IncTo(t.DryRunFires);
                suppressed.WithLabels(t.TriggerId, "cooldown").IncTo(t.SuppressedCooldown);
                suppressed.WithLabels(t.TriggerId, "sampling").IncTo(t.SuppressedSampling);
                suppressed.WithLabels(t.TriggerId, "duplicate").IncTo(t.SuppressedDuplicate);
                suppressed.WithLabels(t.TriggerId, "budget").IncTo(t.SuppressedBudget);
                missingSignal.WithLabels(t.TriggerId).IncTo(t.MissingSignal);
            }
        });
    }
}
