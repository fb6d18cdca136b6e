using System.Diagnostics;
using System.Globalization;
using DataCentric.Edge.Bench.Uplink;

// dce-uplink-bench [--mib 200] [--chunk-kib 128] [--runs 3]
var mib = Arg("--mib", 200);
var chunkKib = Arg("--chunk-kib", 128);
var runs = Arg("--runs", 3);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"uplink bench: {mib} MiB in {chunkKib} KiB QoS 1 publishes to mosquitto on loopback, {runs} runs each, median"));
await using var bench = await UplinkBenchmark.StartAsync(mib, chunkKib * 1024);
// One untimed round first: JIT and tiering, page cache, broker warm-up.
await bench.MosquittoPubAsync();
await bench.UploaderAsync(-1);
var baseline = new List<Measurement>();
var uploader = new List<Measurement>();
for (var run = 0; run < runs; run++)
{
    // Alternate, so drift on a shared machine hits both alike.
    baseline.Add(await bench.MosquittoPubAsync());
    uploader.Add(await bench.UploaderAsync(run));
}

var b = Measurement.Median(baseline);
var u = Measurement.Median(uploader);
Console.WriteLine(b.Describe("mosquitto_pub --repeat (baseline)"));
Console.WriteLine(u.Describe("MqttClipUploader via outbox"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput ratio uploader/baseline: {u.MiBPerSecond / b.MiBPerSecond:0.00}x"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU s/GiB ratio uploader/baseline: {u.CpuSecondsPerGiB / b.CpuSecondsPerGiB:0.00}x"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"uploader memory during the upload (median run): RSS {u.RssStartMiB:0.0} -> max {u.RssMaxMiB:0.0} MiB, managed heap max {u.HeapMaxMiB:0.0} MiB, over {u.Bytes / (1024.0 * 1024):0} MiB sent"));
return 0;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Measurement(long Bytes, TimeSpan Wall, TimeSpan Cpu, double RssStartMiB, double RssMaxMiB, double HeapMaxMiB)
{
    public double MiBPerSecond => Bytes / (1024.0 * 1024) / Wall.TotalSeconds;

    public double CpuSecondsPerGiB => Cpu.TotalSeconds / (Bytes / (1024.0 * 1024 * 1024));

    public static Measurement Median(List<Measurement> runs) => runs.OrderBy(r => r.MiBPerSecond).ElementAt(runs.Count / 2);

    public string Describe(string name) => string.Create(CultureInfo.InvariantCulture,
        $"{name,-36} {MiBPerSecond,8:0.0} MiB/s  {CpuSecondsPerGiB,6:0.00} CPU s/GiB  ({Wall.TotalSeconds:0.00} s wall, {Cpu.TotalSeconds:0.00} s CPU)");
}
