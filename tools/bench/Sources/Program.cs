using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using DataCentric.Edge.Bench.Sources;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Recording;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Sources.Camera;
using DataCentric.Edge.Device.Sources.Controller;
using DataCentric.Edge.Device.Sources.Sensors;
using DataCentric.Edge.Device.Sources.Simulation;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: dotnet run -c Release --project tools/bench/Sources -- [seconds=60] [fps=30] [textured]
// "textured" adds sensor-like noise so frames are the size a real 720p MJPEG camera sends (~100+ KiB,
// above the 85 KB large-object threshold) instead of the flat synthetic scene's ~20 KiB.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 60;
var fps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
var textured = args.Length > 2 && args[2] == "textured";
const int Width = 1280, Height = 720, ControllerHz = 100;

var sceneOptions = new SyntheticSceneOptions { Width = Width, Height = Height, FramesPerSecond = fps };
var scene = new SyntheticScene(sceneOptions);
var jpegs = new List<byte[]>();
using (var renderer = new SceneRenderer(Width, Height, 80))
{
    for (var i = 0; i < fps; i++)
    {
        var jpeg = renderer.RenderJpeg(scene.StateAt(TimeSpan.FromSeconds(1.5 + (i * 0.1))));
        jpegs.Add(textured ? Texture.AddNoise(jpeg, seed: i) : jpeg);
    }
}

Console.WriteLine($"synthetic MJPEG {Width}x{Height} at {fps} fps, {jpegs.Average(j => j.Length) / 1024:F0} KiB per frame; controller JSON at {ControllerHz} Hz; {seconds:F0} s per phase");
Console.WriteLine($"{Environment.ProcessorCount} CPUs, .NET {Environment.Version}, GC concurrent={System.Runtime.GCSettings.LatencyMode}");

// Baseline: the least any MJPEG path costs, the per-frame copy out of the driver's buffer at the same rate.
var baseline = await Measure("baseline (copy only)", seconds / 4, async token =>
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / fps));
    long n = 0;
    while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
    {
        GC.KeepAlive(jpegs[(int)(n++ % jpegs.Count)].AsSpan().ToArray());
    }
});

var warmUp = new RecorderOptions().RingDuration.TotalSeconds + 5;
Console.WriteLine($"the pipeline is measured after a {warmUp:F0} s warm-up (the recorder ring filling)");
var pipeline = await Measure("source → bus → recorder ring", seconds, async token =>
{
    var clock = new MonotonicClock(TimeProvider.System);
    var bus = new SignalBus(new SignalBusOptions());
    var recorder = new ClipRecorder(new RecorderOptions(), clock);
    var health = new SourceHealth();
    var badInput = new BadInputCounter("bench", TimeProvider.System, TimeSpan.FromSeconds(30), NullLogger.Instance);
    var camera = new ResilientFrameSource(new MjpegCamera(jpegs, Width, Height, fps, clock), finite: false, health, new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), badInput, TimeProvider.System);

    var controllerOptions = new ControllerFeedOptions();
    controllerOptions.Signals["brake"] = "Bool";
    controllerOptions.Signals["steer"] = "Number";
    var controller = new ControllerDecisionPublisher(controllerOptions, badInput, new ClockOffsetEstimator(controllerOptions.ClockOffsetWindow));
    controller.Register(bus);
    bus.TryGetId("primary.steer", out var steer);

    // The same shape as the agent: frames fan out into a bounded drop-oldest channel; the recorder drains every 50 ms.
    var frames = Channel.CreateBounded<Frame>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    var tap = bus.OpenTap(8192);
    var completed = new List<ClipContent>();
    var noMetadata = new Dictionary<string, string>();
    long stale = 0;

    var controllerTask = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / ControllerHz));
        var message = new byte[128];
        long k = 0;
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            var now = clock.Now;
            var length = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"time\": {now.TotalSeconds + 100:F6}, \"decisions\": {{\"brake\": {(k++ % 50 == 0 ? "true" : "false")}, \"steer\": 0.0125}}}}"), message);
            controller.Accept(bus, message.AsSpan(0, length), now);
        }
    }, token);

    var recorderTask = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            while (frames.Reader.TryRead(out var frame))
            {
                if (!SignalAligner.At(bus, steer, frame.Time, TimeSpan.FromMilliseconds(100)).IsFresh)
                {
                    stale++;
                }

                recorder.Add(frame);
            }

            while (tap.Reader.TryRead(out var update))
            {
                recorder.Add(update);
            }

            // As the recorder worker does every tick: no trigger here, so this only trims the ring to its duration.
            completed.Clear();
            recorder.CollectCompleted(completed, noMetadata);
        }
    }, token);

    await foreach (var frame in camera.ReadFramesAsync(token).ConfigureAwait(false))
    {
        frames.Writer.TryWrite(frame);
    }

    await Task.WhenAll(controllerTask, recorderTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    Console.WriteLine($"  ring: {recorder.Counters.RingFrames} frames, {recorder.Counters.RingFrameBytes / (1024 * 1024)} MiB, {recorder.Counters.RingSignals} samples; stale alignments {stale}; bad input {badInput.Total}; tap dropped {tap.Dropped}");
}, warmUp);

Console.WriteLine($"pipeline / baseline: CPU x{pipeline.CpuPercent / Math.Max(baseline.CpuPercent, 0.01):F2}, allocation x{pipeline.AllocMiBPerSecond / Math.Max(baseline.AllocMiBPerSecond, 0.001):F2}");

static async Task<Result> Measure(string name, double seconds, Func<CancellationToken, Task> run, double warmUpSeconds = 0)
{
    // The warm-up runs the same pipeline unmeasured: filling the ring rents its buffers once, and
    // those long-lived allocations are start-up cost, not the steady state this bench is about.
    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(warmUpSeconds + seconds));
    var running = run(cts.Token);
    if (warmUpSeconds > 0)
    {
        await Task.Delay(TimeSpan.FromSeconds(warmUpSeconds)).ConfigureAwait(false);
    }

    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
    int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
    var wall = Stopwatch.StartNew();
    try
    {
        await running.ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
        // The phase's time is up.
    }

    wall.Stop();
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpu0;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
    var result = new Result(
        cpu.TotalSeconds / wall.Elapsed.TotalSeconds * 100,
        allocated / wall.Elapsed.TotalSeconds / (1024 * 1024),
        GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
    Console.WriteLine($"{name}: {wall.Elapsed.TotalSeconds:F1} s, CPU {result.CpuPercent:F2} % of one core, allocation {result.AllocMiBPerSecond:F2} MiB/s, GCs gen0 {result.Gen0} gen1 {result.Gen1} gen2 {result.Gen2}");
    return result;
}

internal readonly record struct Result(double CpuPercent, double AllocMiBPerSecond, int Gen0, int Gen1, int Gen2);
