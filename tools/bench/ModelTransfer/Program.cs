using System.Globalization;
using System.Reflection;
using DataCentric.Edge.Bench.ModelTransfer;

// dce-model-transfer-bench [--runs 3] [--model PATH] [--in-flight 8]
var runs = int.Parse(Arg("--runs", "3"), CultureInfo.InvariantCulture);
var inFlight = int.Parse(Arg("--in-flight", "8"), CultureInfo.InvariantCulture);
var model = Arg("--model", typeof(TransferBenchmark).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18OnnxPath").Value!);
await using var bench = await TransferBenchmark.StartAsync(model, inFlight);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"model transfer bench: {bench.SizeBytes / 1048576.0:0.0} MiB ({Path.GetFileName(model)}) to and from one mosquitto on loopback, 128 KiB chunks, QoS 1, {inFlight} chunks asked for at once, {runs} runs each, median"));

// One untimed round first: JIT and tiering, page cache, broker warm-up.
await bench.DownloadAsync(-1);
await bench.UploadAsync(-1);
var downloads = new List<Measurement>();
var uploads = new List<Measurement>();
for (var run = 0; run < runs; run++)
{
    // Alternate, so drift on a shared machine hits both alike.
    downloads.Add(await bench.DownloadAsync(run));
    uploads.Add(await bench.UploadAsync(run));
}

var d = Measurement.Median(downloads);
var u = Measurement.Median(uploads);
Console.WriteLine(u.Describe("clip upload (MqttClipUploader)"));
Console.WriteLine(d.Describe("model download (ModelReleaseReceiver)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput ratio download/upload: {d.MiBPerSecond / u.MiBPerSecond:0.00}x"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"download RSS during the transfer (median run): {d.RssStartMiB:0.0} -> max {d.RssMaxMiB:0.0} MiB for a {d.Bytes / 1048576.0:0.0} MiB file"));
return 0;

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
