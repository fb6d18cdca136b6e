using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using DataCentric.Edge.Uplink.Upload;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

namespace DataCentric.Edge.Bench.ModelTransfer;

/// <summary>
/// One mosquitto on loopback. Download: the model's chunks are retained on the broker (published
/// once, untimed); each run a fresh device (new id, empty state) gets the signed release and is
/// timed from the release's publish until its activator is handed the verified file (every chunk
/// subscribed, written, fsynced and recorded, then the SHA-256 checked). Upload: a stored clip of
/// the same size sent by the clip uploader from its catalog outbox to a subscriber standing for the
/// receivers, timed until every chunk is acknowledged by the broker.
/// </summary>
internal sealed class TransferBenchmark : IAsyncDisposable
{
    private const string Fleet = "bench";
    private readonly TempDirectory _dir;
    private readonly MosquittoBroker _broker;
    private readonly string _model;
    private readonly ECDsa _key = FleetKeys.New();
    private readonly ModelReleasePayload _release;
    private readonly int _inFlight;

    private TransferBenchmark(TempDirectory dir, MosquittoBroker broker, string model, int inFlight)
    {
        _inFlight = inFlight;
        _dir = dir;
        _broker = broker;
        _model = model;
        using var file = File.OpenRead(model);
        _release = new ModelReleasePayload(
            FleetTopics.Root, Fleet, new TriggerSetTarget(TargetScope.Fleet, null), "bench-model", 1, Convert.ToHexStringLower(SHA256.HashData(file)), file.Length,
            new ModelIo([], []), DateTimeOffset.UtcNow);
    }

    public long SizeBytes => _release.SizeBytes;

    private BrokerEndpoint Endpoint => new("127.0.0.1", _broker.Port);

    public static async Task<TransferBenchmark> StartAsync(string model, int inFlight)
    {
        var bench = new TransferBenchmark(new TempDirectory("dce-model-bench"), await MosquittoBroker.StartAsync(new MosquittoOptions()), model, inFlight);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(MqttClientOptionsFactory.Create(new UplinkOptions(), bench.Endpoint, "bench-fleet").WithCleanStart().Build().WithSocketBuffer(new UplinkOptions()));
        await ModelChunkPublisher.PublishAsync(client, Fleet, bench._release.Sha256, model, null, CancellationToken.None);
        return bench;
    }

    public async Task<Measurement> DownloadAsync(int run)
    {
        var device = string.Create(CultureInfo.InvariantCulture, $"device-d{run + 1}");
        var topics = new FleetTopics(Fleet, device);
        var activated = new Activated();
        await using var connection = new DeviceConnection(new UplinkOptions { Port = _broker.Port }, Endpoint, topics);
        var releaseDevice = new ModelReleaseDevice(
            Fleet, device, [], new Dictionary<string, ECDsa> { [FleetKeys.KeyIdOf(_key)] = _key }, new Version(0, 1), 1L << 30, new AnyModel());
        using var receiver = new ModelReleaseReceiver(
            connection, releaseDevice, new ModelReleaseOptions { DownloadBudgetBytesPerDay = 0, ChunksInFlight = _inFlight }, _dir.Combine(device), activated, new ModelNetworkPolicy(false, []),
            TimeProvider.System, NullLogger<ModelReleaseReceiver>.Instance);
        using var stop = new CancellationTokenSource();
        var loop = receiver.RunAsync(stop.Token);
        if (!await connection.EnsureConnectedAsync(CancellationToken.None))
        {
            throw new InvalidOperationException("the device could not connect");
        }

        using var fleet = new MqttClientFactory().CreateMqttClient();
        await fleet.ConnectAsync(MqttClientOptionsFactory.Create(new UplinkOptions(), Endpoint, $"bench-push-{device}").WithCleanStart().Build());
        var envelope = ModelReleaseSigner.Sign(_release with { Target = new TriggerSetTarget(TargetScope.Device, device) }, _key);
        var (rssStart, sampling, sampler) = StartSampling();
        var start = Stopwatch.GetTimestamp();
        await fleet.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(ModelTopics.DeviceRelease(Fleet, device, _release.Name)).WithPayload(envelope)
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var sha256 = await activated.File.Task.WaitAsync(TimeSpan.FromMinutes(10));
        var wall = Stopwatch.GetElapsedTime(start);
        var rssMax = await StopSamplingAsync(sampling, sampler);
        if (sha256 != _release.Sha256)
        {
            throw new InvalidOperationException($"the device was handed a file with SHA-256 {sha256}");
        }

        await stop.CancelAsync();
        await loop;
        return new Measurement(_release.SizeBytes, wall, rssStart / 1048576.0, Math.Max(rssStart, rssMax) / 1048576.0);
    }

    public async Task<Measurement> UploadAsync(int run)
    {
        var runDir = _dir.Combine(string.Create(CultureInfo.InvariantCulture, $"upload-{run + 1}"));
        Directory.CreateDirectory(Path.Combine(runDir, "clips"));
        using var catalog = new LiteDbClipCatalog(Path.Combine(runDir, "catalog.db"));
        var store = new ClipFileStore(Path.Combine(runDir, "clips"), new RawFramesClipWriter(), catalog, TimeProvider.System);
        var clipId = string.Create(CultureInfo.InvariantCulture, $"clip-{run + 1}");
        File.Copy(_model, Path.Combine(runDir, "clips", clipId + ".bin"));
        catalog.AddClip(new StoredClip(clipId, clipId + ".bin", _release.SizeBytes, _release.Sha256, 1, ["bench"], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, null, DateTimeOffset.UtcNow));
        // A subscriber stands for the fleet's receivers (without one the broker drops clips, PUBACK 0x10); it only counts bytes.
        using var sink = new MqttClientFactory().CreateMqttClient();
        long sunk = 0;
        sink.ApplicationMessageReceivedAsync += e =>
        {
            Interlocked.Add(ref sunk, e.ApplicationMessage.Payload.Length);
            return Task.CompletedTask;
        };
        await sink.ConnectAsync(MqttClientOptionsFactory.Create(new UplinkOptions(), Endpoint, $"bench-sink-{run + 1}").WithCleanStart().Build().WithSocketBuffer(new UplinkOptions()));
        await sink.SubscribeAsync($"{FleetTopics.Root}/{Fleet}/+/clips/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        var options = new UplinkOptions { Port = _broker.Port, ChunkBytes = ModelTopics.ChunkBytes };
        var topics = new FleetTopics(Fleet, string.Create(CultureInfo.InvariantCulture, $"device-u{run + 1}"));
        await using var uploader = new MqttClipUploader(new DeviceConnection(options, Endpoint, topics), catalog, store);
        if (!await uploader.EnsureConnectedAsync(CancellationToken.None))
        {
            throw new InvalidOperationException("the device could not connect");
        }

        var (rssStart, sampling, sampler) = StartSampling();
        var start = Stopwatch.GetTimestamp();
        await uploader.UploadAsync(catalog.PendingUploads(1).Single(), CancellationToken.None);
        var wall = Stopwatch.GetElapsedTime(start);
        var rssMax = await StopSamplingAsync(sampling, sampler);
        if (catalog.FindClip(clipId)!.UploadState != UploadState.Sent)
        {
            throw new InvalidOperationException("the clip was not sent whole");
        }

        return new Measurement(_release.SizeBytes, wall, rssStart / 1048576.0, Math.Max(rssStart, rssMax) / 1048576.0);
    }

    public async ValueTask DisposeAsync()
    {
        _key.Dispose();
        await _broker.DisposeAsync();
        _dir.Dispose();
    }

    private static (long RssStart, CancellationTokenSource Stop, Task<long> Sampler) StartSampling()
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var stop = new CancellationTokenSource();
        return (process.WorkingSet64, stop, SampleRssAsync(stop.Token));
    }

    private static async Task<long> StopSamplingAsync(CancellationTokenSource stop, Task<long> sampler)
    {
        await stop.CancelAsync();
        var max = await sampler;
        stop.Dispose();
        return max;
    }

    private static async Task<long> SampleRssAsync(CancellationToken cancellationToken)
    {
        long rss = 0;
        using var process = Process.GetCurrentProcess();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                process.Refresh();
                rss = Math.Max(rss, process.WorkingSet64);
            }
        }
        catch (OperationCanceledException)
        {
            // Transfer done.
        }

        return rss;
    }

    private sealed class AnyModel : IModelContractCheck
    {
        public IReadOnlyList<string> Problems(string modelName, ModelIo io) => [];
    }

    /// <summary>Stands for activation: completes with the SHA-256 of the file the device hands over.</summary>
    private sealed class Activated : IModelActivator
    {
        public TaskCompletionSource<string> File { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ModelActivationOutcome> ActivateAsync(ModelReleasePayload release, string verifiedModelFile, CancellationToken cancellationToken)
        {
            using (var file = System.IO.File.OpenRead(verifiedModelFile))
            {
                File.TrySetResult(Convert.ToHexStringLower(SHA256.HashData(file)));
            }

            return Task.FromResult(new ModelActivationOutcome(true, null, null, null));
        }

        public Task<ModelActivationOutcome> RollBackAsync(string modelName, CancellationToken cancellationToken) =>
            Task.FromResult(new ModelActivationOutcome(false, null, "bench", null));

        public RunningRelease? RunningOf(string modelName) => null;

        public IReadOnlyList<ModelStartupRollback> UnreportedStartupRollbacks() => [];

        public void StartupRollbackReported(ModelStartupRollback rollback)
        {
        }
    }
}
