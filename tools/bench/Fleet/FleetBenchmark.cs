using System.Diagnostics;
using System.Globalization;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// The runs of one bench: the devices stay connected throughout; each run gets a fresh clip set of
/// the same byte count and fresh receiving processes (mosquitto_sub, or one or two dce-fleet).
/// The clock starts at the devices' first publish and stops when the receiving side has it all.
/// </summary>
internal sealed class FleetBenchmark(BenchOptions options, SimulatedDevices devices, BrokerLog brokerLog)
{
    /// <summary>Start-up, catalog migration and subscription of a receiver (seconds on this machine).</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private readonly string _tag = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];

    /// <summary>Untimed: one small clip per device with nobody subscribed, so the publish path is compiled before the first run.</summary>
    public async Task WarmUpDevicesAsync(CancellationToken cancellationToken)
    {
        var clips = Enumerable.Range(0, devices.Count)
            .Select(d => ClipSet.Make(d, string.Create(CultureInfo.InvariantCulture, $"warmup-{_tag}-{ClipSet.DeviceId(d)}"), RandomBytes(options.ChunkBytes * 2), options.ChunkBytes, DateTimeOffset.UtcNow))
            .ToList();
        await devices.UploadAsync(clips, options.ChunkBytes, options.InFlight, cancellationToken).ConfigureAwait(false);
    }

    public Task<RunResult> RunAsync(BenchMode mode, int round, CancellationToken cancellationToken) =>
        mode == BenchMode.Baseline ? RunBaselineAsync(round, cancellationToken) : RunReceiversAsync(mode, round, cancellationToken);

    private async Task<RunResult> RunBaselineAsync(int round, CancellationToken cancellationToken)
    {
        var clips = NewClipSet(BenchMode.Baseline, round);
        var messages = clips.Sum(c => 1 + c.ChunkCount(options.ChunkBytes));
        var since = brokerLog.Mark();
        using var subscriber = BaselineSubscriber.Start(options, messages);
        await brokerLog.WaitForClipSubscribersAsync(
            since, [BaselineSubscriber.ClientId], ReadyTimeout,
            () => subscriber.HasExited ? $"mosquitto_sub exited with code {subscriber.ExitCode} before it subscribed" : null,
            cancellationToken).ConfigureAwait(false);

        await using var sampler = new RssSampler([("mosquitto", options.BrokerPid), ("mosquitto_sub", subscriber.Pid)]);
        var start = Stopwatch.GetTimestamp();
        var published = await devices.UploadAsync(clips, options.ChunkBytes, options.InFlight, cancellationToken).ConfigureAwait(false);
        var received = await subscriber.WaitForAllAsync(options.AckTimeout, cancellationToken).ConfigureAwait(false);
        var completed = Stopwatch.GetElapsedTime(start);
        await sampler.DisposeAsync().ConfigureAwait(false);

        string? failure = null;
        if (!received)
        {
            failure = $"mosquitto_sub had not received all {messages} messages (manifests + chunks) {options.AckTimeout.TotalSeconds:0} s after the devices' last publish";
        }
        else if (subscriber.ExitCode != 0)
        {
            failure = $"mosquitto_sub exited with code {subscriber.ExitCode}";
        }

        return Result(BenchMode.Baseline, round, clips, published, received ? completed : null, Describe(failure, published), sampler.Samples);
    }

    private async Task<RunResult> RunReceiversAsync(BenchMode mode, int round, CancellationToken cancellationToken)
    {
        var clips = NewClipSet(mode, round);
        var receivers = new List<FleetReceiver>();
        var logs = Path.Combine(options.OutputDirectory, "logs");
        Directory.CreateDirectory(logs);
        try
        {
            var since = brokerLog.Mark();
            for (var instance = 1; instance <= mode.Receivers(); instance++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"{mode.Letter()}{round}-receiver-{instance}");
                receivers.Add(FleetReceiver.Start(options, instance, Path.Combine(logs, name + ".log"), Path.Combine(options.OutputDirectory, "work", name)));
            }

            try
            {
                await brokerLog.WaitForClipSubscribersAsync(
                    since, [.. receivers.Select(r => r.ReceiverClientId)], ReadyTimeout,
                    () => receivers.Select(r => r.ExitedReason()).FirstOrDefault(r => r is not null),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                // Nothing was sent: every publish would be dropped for want of a subscriber.
                var notReady = $"timed out: 0 of {clips.Count} clips acknowledged: the receivers are not ready: {e.Message}" + ReceiverLogs(receivers);
                return Result(mode, round, clips, new PublishSummary(0, 0, TimeSpan.Zero), null, notReady, []);
            }

            if (await WarmUpReceiversAsync(mode, round, cancellationToken).ConfigureAwait(false) is { } warmupFailure)
            {
                return Result(mode, round, clips, new PublishSummary(0, 0, TimeSpan.Zero), null, warmupFailure + ReceiverLogs(receivers), []);
            }

            var tracker = new AckTracker(clips);
            devices.Track(tracker);
            await using var sampler = new RssSampler([("mosquitto", options.BrokerPid), .. receivers.Select(r => (r.Name, r.Pid))]);
            var start = Stopwatch.GetTimestamp();
            var published = await devices.UploadAsync(clips, options.ChunkBytes, options.InFlight, cancellationToken).ConfigureAwait(false);
            tracker.Touch();
            var all = await tracker.WaitAsync(options.AckTimeout, cancellationToken).ConfigureAwait(false);
            var completed = all ? Stopwatch.GetElapsedTime(start, tracker.LastAckTimestamp) : (TimeSpan?)null;
            await sampler.DisposeAsync().ConfigureAwait(false);

            var failure = all ? null : NotAcknowledged(tracker, "clips") + ReceiverLogs(receivers);
            return Result(mode, round, clips, published, completed, Describe(failure, published), sampler.Samples);
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                await receiver.DisposeAsync().ConfigureAwait(false);
            }

            await BrokerSessions.ClearAsync(options, receivers.SelectMany(r => (string[])[r.ReceiverClientId, r.TrackerClientId]), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Untimed: a few two-chunk clips through the receivers, acknowledged, before the clock starts. Null when they were.</summary>
    private async Task<string?> WarmUpReceiversAsync(BenchMode mode, int round, CancellationToken cancellationToken)
    {
        if (options.WarmupClips == 0)
        {
            return null;
        }

        var clips = Enumerable.Range(0, options.WarmupClips)
            .Select(i => ClipSet.Make(i % devices.Count, string.Create(CultureInfo.InvariantCulture, $"w{mode.Letter()}{round}-{_tag}-{i:D3}"), RandomBytes(options.ChunkBytes * 2), options.ChunkBytes, DateTimeOffset.UtcNow))
            .ToList();
        var tracker = new AckTracker(clips);
        devices.Track(tracker);
        var published = await devices.UploadAsync(clips, options.ChunkBytes, options.InFlight, cancellationToken).ConfigureAwait(false);
        tracker.Touch();
        return await tracker.WaitAsync(options.AckTimeout, cancellationToken).ConfigureAwait(false) ? null : Describe("warm-up (untimed): " + NotAcknowledged(tracker, "warm-up clips"), published);
    }

    private string NotAcknowledged(AckTracker tracker, string what) =>
        $"timed out: {tracker.Acknowledged} of {tracker.Expected} {what} acknowledged (ClipAck complete with the right sha256); " +
        $"no new ack for {options.AckTimeout.TotalSeconds:0} s after the devices' last publish or the last ack " +
        $"({tracker.Mismatches} hash mismatches, {tracker.Unexpected} acks for other clips)";

    private static string ReceiverLogs(List<FleetReceiver> receivers) =>
        string.Concat(receivers.Select(r => $"{Environment.NewLine}  the end of {r.LogPath}:{Environment.NewLine}{r.Tail()}"));

    /// <summary>Publishes the broker dropped for want of a subscriber are part of why a run fails.</summary>
    private static string? Describe(string? failure, PublishSummary published) =>
        failure is null || published.NoSubscriber == 0
            ? failure
            : string.Create(CultureInfo.InvariantCulture, $"{failure}; the broker dropped {published.NoSubscriber} of {published.Messages} publishes for want of a subscriber");

    private RunResult Result(BenchMode mode, int round, List<BenchClip> clips, PublishSummary published, TimeSpan? completed, string? failure, IReadOnlyList<RssSample> samples) =>
        new(mode, round, clips.Count, clips.Sum(c => (long)c.Content.Length), published.Elapsed, completed, failure, samples);

    private List<BenchClip> NewClipSet(BenchMode mode, int round) =>
        ClipSet.Create(string.Create(CultureInfo.InvariantCulture, $"{mode.Letter()}{round}-{_tag}"), options.TotalBytes, options.ClipBytes, options.ChunkBytes, options.Devices);

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
