using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using DataCentric.Edge.Buffer;
using DataCentric.Edge.Buffer.LiteDb;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Storage;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Connection;
using DataCentric.Edge.Uplink.Upload;

namespace DataCentric.Edge.Bench.Uplink;

/// <summary>
/// One mosquitto on loopback; the peer baseline is <c>mosquitto_pub --repeat</c> of one chunk-sized
/// file at QoS 1, the candidate is a stored clip of the same total size sent by the uploader from
/// the catalog outbox (manifest, chunks, catalog update per chunk). CPU is the sending process's.
/// </summary>
internal sealed partial class UplinkBenchmark : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly MosquittoBroker _broker;
    private readonly int _chunkBytes;
    private readonly int _chunks;
    private readonly string _chunkFile;
    private readonly string _clipFile;

    private UplinkBenchmark(TempDirectory dir, MosquittoBroker broker, int mib, int chunkBytes)
    {
        _dir = dir;
        _broker = broker;
        _chunkBytes = chunkBytes;
        _chunks = (int)((long)mib * 1024 * 1024 / chunkBytes);
        _chunkFile = dir.Combine("chunk.bin");
        File.WriteAllBytes(_chunkFile, RandomNumberGenerator.GetBytes(chunkBytes));
        _clipFile = dir.Combine("clip.bin");
        using var clip = File.Create(_clipFile);
        var block = RandomNumberGenerator.GetBytes(1 << 20);
        for (var i = 0; i < mib; i++)
        {
            clip.Write(block);
        }
    }

    public static async Task<UplinkBenchmark> StartAsync(int mib, int chunkBytes)
    {
        var dir = new TempDirectory("dce-uplink-bench");
        var broker = await MosquittoBroker.StartAsync(new MosquittoOptions());
        return new UplinkBenchmark(dir, broker, mib, chunkBytes);
    }

    public async Task<Measurement> MosquittoPubAsync()
    {
        var before = ChildrenCpu();
        var start = Stopwatch.GetTimestamp();
        using var pub = Process.Start(new ProcessStartInfo("mosquitto_pub",
        [
            "-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", "-q", "1",
            "-t", "dce/v1/bench/baseline/clips/c/chunk", "-f", _chunkFile, "--repeat", _chunks.ToString(CultureInfo.InvariantCulture),
        ])
        { UseShellExecute = false })!;
        await pub.WaitForExitAsync();
        var wall = Stopwatch.GetElapsedTime(start);
        if (pub.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited with {pub.ExitCode}");
        }

        return new Measurement((long)_chunks * _chunkBytes, wall, ChildrenCpu() - before, 0, 0, 0);
    }

    public async Task<Measurement> UploaderAsync(int run)
    {
        var runDir = _dir.Combine(string.Create(CultureInfo.InvariantCulture, $"run-{run + 1}"));
        Directory.CreateDirectory(Path.Combine(runDir, "clips"));
        var size = (long)_chunks * _chunkBytes;
        using var catalog = new LiteDbClipCatalog(Path.Combine(runDir, "catalog.db"));
        var store = new ClipFileStore(Path.Combine(runDir, "clips"), new RawFramesClipWriter(), catalog, TimeProvider.System);
        var fileName = string.Create(CultureInfo.InvariantCulture, $"clip-{run + 1}.bin");
        File.Copy(_clipFile, Path.Combine(runDir, "clips", fileName));
        var stored = new StoredClip(string.Create(CultureInfo.InvariantCulture, $"clip-{run + 1}"), fileName, size, new string('0', 64), 1, ["bench"], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, null, DateTimeOffset.UtcNow);
        catalog.AddClip(stored);
        var options = new UplinkOptions { Port = _broker.Port, ChunkBytes = _chunkBytes };
        await using var uploader = new MqttClipUploader(new DeviceConnection(options, new BrokerEndpoint("127.0.0.1", _broker.Port), new FleetTopics("bench", string.Create(CultureInfo.InvariantCulture, $"device-{run + 1}"))), catalog, store);
        if (!await uploader.EnsureConnectedAsync(CancellationToken.None))
        {
            throw new InvalidOperationException("could not connect");
        }

        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var rssStart = process.WorkingSet64;
        using var sampling = new CancellationTokenSource();
        var sampler = SampleMemoryAsync(sampling.Token);
        var cpuBefore = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();

        // Through the outbox: what the upload loop does for the next pending clip.
        var next = catalog.PendingUploads(1).Single();
        await uploader.UploadAsync(next, CancellationToken.None);
        var wall = Stopwatch.GetElapsedTime(start);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await sampling.CancelAsync();
        var (rssMax, heapMax) = await sampler;
        if (catalog.FindClip(stored.ClipId)!.UploadState != UploadState.Sent)
        {
            throw new InvalidOperationException("the clip was not sent whole");
        }

        return new Measurement(size, wall, cpu, rssStart / 1048576.0, Math.Max(rssMax, rssStart) / 1048576.0, heapMax / 1048576.0);
    }

    public async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        _dir.Dispose();
    }

    private static async Task<(long RssMax, long HeapMax)> SampleMemoryAsync(CancellationToken cancellationToken)
    {
        long rss = 0, heap = 0;
        using var process = Process.GetCurrentProcess();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                process.Refresh();
                rss = Math.Max(rss, process.WorkingSet64);
                heap = Math.Max(heap, GC.GetTotalMemory(false));
            }
        }
        catch (OperationCanceledException)
        {
            // Upload done.
        }

        return (rss, heap);
    }

    /// <summary>CPU of reaped child processes (user + system), from getrusage(RUSAGE_CHILDREN).</summary>
    private static TimeSpan ChildrenCpu()
    {
        if (GetRusage(-1, out var usage) != 0)
        {
            throw new InvalidOperationException("getrusage failed");
        }

        return TimeSpan.FromTicks((usage.UserSeconds * 10_000_000) + (usage.UserMicroseconds * 10) + (usage.SystemSeconds * 10_000_000) + (usage.SystemMicroseconds * 10));
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out RUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NvCsw;
        public long NivCsw;
    }
}
