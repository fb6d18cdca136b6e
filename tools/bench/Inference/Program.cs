using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using DataCentric.Edge.Bench.Inference;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Sources.Simulation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

// ResNet18 at 224×224, in one run: (a) bare ONNX Runtime over a ready tensor, (b) the engine's full
// path from a 640×480 JPEG to signals on the bus; with --int8 PATH also (c) and (d), the same two
// paths on the int8 QDQ model tools/Quantize writes. Runs alternate a/b(/c/d) so machine noise hits
// all; on a shared machine the ratio of minimums is the steadiest estimate of the uncontended cost.
// With --provider cuda (a build with OnnxRuntimeFlavour=gpu, on an NVIDIA GPU) both run on the CUDA
// provider: (a) with input and output bound once in pinned host memory, and GPU memory is reported.
// A second table times (p), the agent's runner that decodes the next frame while the model runs,
// in blocks of frames alternating with blocks of (a) and (b).
// Usage: dotnet run -c Release --project tools/bench/Inference -- [frames per config, default 40] [--int8 PATH] [--provider cpu|cuda] [--model RESNET18.onnx]
OnnxRuntimeTelemetry.OptOut();
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var positional = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "--int8" or "--provider" or "--model")
    {
        if (i + 1 >= args.Length)
        {
            Console.Error.WriteLine($"{args[i]} needs a value");
            return 2;
        }

        options[args[i]] = args[++i];
    }
    else
    {
        positional.Add(args[i]);
    }
}

var int8Path = options.TryGetValue("--int8", out var int8Arg) ? Path.GetFullPath(int8Arg) : null;
var provider = options.GetValueOrDefault("--provider", "cpu");
if (provider is not ("cpu" or "cuda"))
{
    Console.Error.WriteLine($"--provider: '{provider}' is not cpu or cuda");
    return 2;
}

var cuda = provider == "cuda";
var frames = positional.Count > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 40;
// --model: ResNet18 elsewhere than the package cache the build saw (a prebuilt bench on another machine).
var modelPath = options.TryGetValue("--model", out var modelArg)
    ? Path.GetFullPath(modelArg)
    : typeof(BareOnnxRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18OnnxPath").Value!;
if (!File.Exists(modelPath))
{
    Console.Error.WriteLine($"no ResNet18 at '{modelPath}' (--model PATH names one)");
    return 2;
}

if (int8Path is not null && !File.Exists(int8Path))
{
    Console.Error.WriteLine($"--int8: no model at '{int8Path}' (write one with tools/Quantize, see its README)");
    return 2;
}

using var renderer = new SceneRenderer(640, 480, 80);
var jpeg = renderer.RenderJpeg(new SceneState(0, true, 12, false, 0.3));
var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", jpeg);
var runtime = OrtEnv.Instance();
Console.WriteLine($"ResNet18 {modelPath}");
Console.WriteLine($"ONNX Runtime {runtime.GetVersionString()}, providers {string.Join(", ", runtime.GetAvailableProviders())}; provider under test: {provider}");
if (cuda && !runtime.GetAvailableProviders().Contains("CUDAExecutionProvider"))
{
    Console.Error.WriteLine("--provider cuda: this build of ONNX Runtime has no CUDA provider; build the bench with -p:OnnxRuntimeFlavour=gpu (tools/bench/gpu-check.sh does)");
    return 3;
}

var gpuBefore = cuda ? GpuMemory.DeviceUsedMiB() : null;
Console.WriteLine($"frame: 640×480 JPEG, {jpeg.Length} bytes; {frames} frames per path and thread count, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("threads | (a) bare ORT ms | (b) engine ms | median (b)/(a) | median pair ratio | median (b)-(a) ms | min (b)/(a) | (a) B/frame | (b) B/frame | (a) frames/s | (b) frames/s | (a) CPU ms/frame | (b) CPU ms/frame");

var int8Rows = new List<string>();
var aheadRows = new List<string>();
double? gpuLoaded = null;
double? gpuProcess = null;

// On the GPU the intra-op threads only feed the CPU fallback nodes: one setting is enough.
foreach (var threads in cuda ? [1] : new[] { 1, 2 })
{
    BareOnnxRuntime bareRuntime;
    try
    {
        bareRuntime = new BareOnnxRuntime(modelPath, threads, cuda);
    }
    catch (OnnxRuntimeException e) when (cuda)
    {
        // The GPU build lists the CUDA provider even where it cannot start (no GPU, no CUDA libraries).
        Console.Error.WriteLine($"--provider cuda: ONNX Runtime could not start the CUDA provider: {e.Message}");
        return 3;
    }

    using var bare = bareRuntime;
    using var engine = OnnxInferenceEngine.Load(Options(modelPath, threads, cuda), AppContext.BaseDirectory);
    if (cuda && engine.Provider != ModelExecutionProvider.Cuda)
    {
        Console.Error.WriteLine($"--provider cuda: the engine fell back to {engine.Provider}: {engine.ProviderFallback}");
        return 3;
    }

    using var bareInt8 = int8Path is null ? null : new BareOnnxRuntime(int8Path, threads, cuda);
    using var engineInt8 = int8Path is null ? null : OnnxInferenceEngine.Load(Options(int8Path, threads, cuda), AppContext.BaseDirectory);
    var bus = new SignalBus(new SignalBusOptions());
    var ids = engine.Outputs.Select(o => bus.Register(o.Name, o.Kind)).ToArray();
    var outputs = new SignalValue[ids.Length];
    Action EngineFrame(OnnxInferenceEngine e) => () =>
    {
        e.Infer(frame, outputs);
        for (var i = 0; i < ids.Length; i++)
        {
            bus.Publish(ids[i], outputs[i], frame.Time);
        }
    };

    // (a), (b), then (c), (d) on the int8 model: each frame runs every path once, in this order.
    var paths = new List<Action> { bare.Run, EngineFrame(engine) };
    if (bareInt8 is not null && engineInt8 is not null)
    {
        paths.Add(bareInt8.Run);
        paths.Add(EngineFrame(engineInt8));
    }

    for (var i = 0; i < 5; i++)
    {
        paths.ForEach(p => p());
    }

    var times = paths.Select(_ => new double[frames]).ToArray();
    var allocated = new long[paths.Count];
    var cpu = new double[paths.Count];
    for (var i = 0; i < frames; i++)
    {
        for (var p = 0; p < paths.Count; p++)
        {
            (times[p][i], var bytes, var cpuMs) = Measure(paths[p]);
            allocated[p] += bytes;
            cpu[p] += cpuMs;
        }
    }

    if (cuda)
    {
        gpuLoaded = GpuMemory.DeviceUsedMiB();
        gpuProcess = GpuMemory.ProcessMiB();
    }

    var (a, b) = (times[0], times[1]);
    var pairRatios = a.Zip(b, (x, y) => y / x).ToArray();
    var pairDifferences = a.Zip(b, (x, y) => y - x).ToArray();
    var medianA = Median(a);
    var medianB = Median(b);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{threads,7} | {medianA,15:F2} | {medianB,13:F2} | {medianB / medianA,14:F3} | {Median(pairRatios),17:F3} | {Median(pairDifferences),17:F2} | {b.Min() / a.Min(),11:F3} | {allocated[0] / frames,11} | {allocated[1] / frames,11} | {1000 / medianA,12:F1} | {1000 / medianB,12:F1} | {cpu[0] / frames,16:F2} | {cpu[1] / frames,16:F2}"));
    if (paths.Count == 4)
    {
        int8Rows.Add(Int8Row(threads, "bare ORT", a, times[2]));
        int8Rows.Add(Int8Row(threads, "engine", b, times[3]));
    }

    // (p) the runner with decode ahead, in blocks alternating with blocks of (a) and (b).
    var aheadOptions = Options(modelPath, threads, cuda);
    aheadOptions.QueueCapacity = DecodeAheadPath.Block;
    var aheadInference = new InferenceOptions();
    aheadInference.Models.Add(aheadOptions);
    using var aheadSet = ShadowModelSet.Load(aheadInference, AppContext.BaseDirectory, NullLogger<ShadowModelSet>.Instance);
    var ahead = new DecodeAheadPath(aheadSet.Models[0], bus, frame);
    ahead.RunBlock();
    var rounds = Math.Max(3, frames / DecodeAheadPath.Block);
    var (blockA, blockB, blockP) = (new double[rounds], new double[rounds], new double[rounds]);
    var (cpuB, cpuP) = (0.0, 0.0);
    for (var r = 0; r < rounds; r++)
    {
        blockA[r] = MeasureBlock(bare.Run).Milliseconds;
        (blockB[r], var cpuMsB) = MeasureBlock(EngineFrame(engine));
        (blockP[r], var cpuMsP) = ahead.RunBlock();
        cpuB += cpuMsB;
        cpuP += cpuMsP;
    }

    aheadRows.Add(string.Create(CultureInfo.InvariantCulture,
        $"{threads,7} | {Median(blockA),12:F2} | {Median(blockB),12:F2} | {Median(blockP),12:F2} | {Median([.. blockA.Zip(blockP, (x, y) => y / x)]),14:F3} | {Median([.. blockB.Zip(blockP, (x, y) => y / x)]),14:F3} | {1000 / Median(blockA),12:F1} | {1000 / Median(blockB),12:F1} | {1000 / Median(blockP),12:F1} | {cpuB / rounds,16:F2} | {cpuP / rounds,16:F2}"));
}

Console.WriteLine();
Console.WriteLine($"decode ahead: (p) the agent's runner with decode ahead (next frame decoded while the model runs; the agent's default on a GPU provider, on the CPU it runs each frame in turn), blocks of {DecodeAheadPath.Block} frames alternating with blocks of (a) and (b); ms per frame = block wall time / {DecodeAheadPath.Block}");
Console.WriteLine("threads | (a) ms/frame | (b) ms/frame | (p) ms/frame | median (p)/(a) | median (p)/(b) | (a) frames/s | (b) frames/s | (p) frames/s | (b) CPU ms/frame | (p) CPU ms/frame");
aheadRows.ForEach(Console.WriteLine);

if (int8Rows.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine($"int8 {int8Path}: (c) bare ORT and (d) engine on the int8 model, measured in the same loop as (a) and (b)");
    Console.WriteLine("threads | path     | fp32 ms | int8 ms | median int8/fp32 | median pair ratio | min int8/min fp32 | int8 frames/s");
    int8Rows.ForEach(Console.WriteLine);
}

using var self = Process.GetCurrentProcess();
Console.WriteLine();
if (cuda)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"GPU memory (nvidia-smi): device used {Text(gpuBefore)} MiB before the sessions, {Text(gpuLoaded)} MiB with (a) and (b) loaded and run; this process {Text(gpuProcess)} MiB"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process RSS {self.WorkingSet64 / (1024.0 * 1024):F0} MiB, peak {self.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB; managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024):F1} MiB"));
Console.WriteLine("(b) B/frame includes the published 512-float embedding (2,072 B), which the signal bus keeps by contract.");
return 0;

static string Int8Row(int threads, string path, double[] fp32, double[] int8) =>
    string.Create(CultureInfo.InvariantCulture,
        $"{threads,7} | {path,-8} | {Median(fp32),7:F2} | {Median(int8),7:F2} | {Median(int8) / Median(fp32),16:F3} | {Median([.. fp32.Zip(int8, (x, y) => y / x)]),17:F3} | {int8.Min() / fp32.Min(),17:F3} | {1000 / Median(int8),13:F1}");

static string Text(double? mib) => mib is { } value ? value.ToString("F0", CultureInfo.InvariantCulture) : "n/a";

// CPU time is the whole process's (ONNX Runtime's threads included): what the path costs the cores the controller needs.
static (double Milliseconds, long Bytes, double CpuMilliseconds) Measure(Action action)
{
    using var self = Process.GetCurrentProcess();
    var cpu = self.TotalProcessorTime;
    var bytes = GC.GetAllocatedBytesForCurrentThread();
    var start = Stopwatch.GetTimestamp();
    action();
    var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    var allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
    self.Refresh();
    return (elapsed, allocated, (self.TotalProcessorTime - cpu).TotalMilliseconds);
}

// A block of DecodeAheadPath.Block frames of one path: wall and whole-process CPU ms per frame.
static (double Milliseconds, double CpuMilliseconds) MeasureBlock(Action action)
{
    using var self = Process.GetCurrentProcess();
    var cpu = self.TotalProcessorTime;
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < DecodeAheadPath.Block; i++)
    {
        action();
    }

    var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    self.Refresh();
    return (elapsed / DecodeAheadPath.Block, (self.TotalProcessorTime - cpu).TotalMilliseconds / DecodeAheadPath.Block);
}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static ShadowModelOptions Options(string modelPath, int threads, bool cuda)
{
    var options = new ShadowModelOptions
    {
        Name = "resnet18",
        ModelPath = modelPath,
        IntraOpThreads = threads,
        Input = new ImageInputOptions { Name = "Input247", Scale = 1f },
        Output = new ModelOutputOptions { Kind = ModelOutputKind.Embedding, Tensor = "Pooling395_Output_0" },
    };
    if (cuda)
    {
        options.ExecutionProviders.Add(ModelExecutionProvider.Cuda);
    }

    foreach (var (mean, std) in new[] { (123.675f, 58.395f), (116.28f, 57.12f), (103.53f, 57.375f) })
    {
        options.Input.Mean.Add(mean);
        options.Input.Std.Add(std);
    }

    return options;
}
