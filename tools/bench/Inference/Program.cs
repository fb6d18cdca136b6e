using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using DataCentric.Edge.Bench.Inference;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Onnx;
using DataCentric.Edge.Device.Simulation;

// ResNet18 at 224×224, in one run: (a) bare ONNX Runtime over a ready tensor, (b) the engine's full
// path from a 640×480 JPEG to signals on the bus. Runs alternate a/b so machine noise hits both; on
// a shared machine the ratio of minimums is the steadiest estimate of the uncontended cost.
// Usage: dotnet run -c Release --project tools/bench/Inference -- [frames per config, default 40]
var frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
var modelPath = typeof(BareOnnxRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18OnnxPath").Value!;
using var renderer = new SceneRenderer(640, 480, 80);
var jpeg = renderer.RenderJpeg(new SceneState(0, true, 12, false, 0.3));
var frame = new Frame(0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, 640, 480, "jpeg", jpeg);
Console.WriteLine($"ResNet18 {modelPath}");
Console.WriteLine($"frame: 640×480 JPEG, {jpeg.Length} bytes; {frames} frames per path and thread count, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("threads | (a) bare ORT ms | (b) engine ms | median (b)/(a) | median pair ratio | median (b)-(a) ms | min (b)/(a) | (a) B/frame | (b) B/frame | (b) frames/s");

foreach (var threads in new[] { 1, 2 })
{
    using var bare = new BareOnnxRuntime(modelPath, threads);
    using var engine = OnnxInferenceEngine.Load(Options(modelPath, threads), AppContext.BaseDirectory);
    var bus = new SignalBus(new SignalBusOptions());
    var ids = engine.Outputs.Select(o => bus.Register(o.Name, o.Kind)).ToArray();
    var outputs = new SignalValue[ids.Length];
    void EngineFrame()
    {
        engine.Infer(frame, outputs);
        for (var i = 0; i < ids.Length; i++)
        {
            bus.Publish(ids[i], outputs[i], frame.Time);
        }
    }

    for (var i = 0; i < 5; i++)
    {
        bare.Run();
        EngineFrame();
    }

    var a = new double[frames];
    var b = new double[frames];
    long allocA = 0, allocB = 0;
    for (var i = 0; i < frames; i++)
    {
        (a[i], var bytesA) = Measure(bare.Run);
        (b[i], var bytesB) = Measure(EngineFrame);
        allocA += bytesA;
        allocB += bytesB;
    }

    var pairRatios = a.Zip(b, (x, y) => y / x).ToArray();
    var pairDifferences = a.Zip(b, (x, y) => y - x).ToArray();
    var medianA = Median(a);
    var medianB = Median(b);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{threads,7} | {medianA,15:F2} | {medianB,13:F2} | {medianB / medianA,14:F3} | {Median(pairRatios),17:F3} | {Median(pairDifferences),17:F2} | {b.Min() / a.Min(),11:F3} | {allocA / frames,11} | {allocB / frames,11} | {1000 / medianB,12:F1}"));
}

using var self = Process.GetCurrentProcess();
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process RSS {self.WorkingSet64 / (1024.0 * 1024):F0} MiB, peak {self.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB; managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024):F1} MiB"));
Console.WriteLine("(b) B/frame includes the published 512-float embedding (2,072 B), which the signal bus keeps by contract.");

static (double Milliseconds, long Bytes) Measure(Action action)
{
    var bytes = GC.GetAllocatedBytesForCurrentThread();
    var start = Stopwatch.GetTimestamp();
    action();
    var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    return (elapsed, GC.GetAllocatedBytesForCurrentThread() - bytes);
}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static ShadowModelOptions Options(string modelPath, int threads)
{
    var options = new ShadowModelOptions
    {
        Name = "resnet18",
        ModelPath = modelPath,
        IntraOpThreads = threads,
        Input = new ImageInputOptions { Name = "Input247", Scale = 1f },
        Output = new ModelOutputOptions { Kind = ModelOutputKind.Embedding, Tensor = "Pooling395_Output_0" },
    };
    foreach (var (mean, std) in new[] { (123.675f, 58.395f), (116.28f, 57.12f), (103.53f, 57.375f) })
    {
        options.Input.Mean.Add(mean);
        options.Input.Std.Add(std);
    }

    return options;
}
