using System.Globalization;
using DataCentric.Edge.Bench.Fleet;

// dce-fleet-bench: started by tools/bench/Fleet/run.sh, which starts mosquitto, PostgreSQL and s3rver first.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"dce-fleet-bench: {e.Message}{Environment.NewLine}{BenchOptions.Usage}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var schedule = Enumerable.Range(1, options.Rounds).SelectMany(round => options.Modes.Select(mode => (mode, round))).ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"fleet bench: {options.MiB} MiB per run in {options.ClipKiB} KiB clips of {options.ChunkKiB} KiB QoS 1 chunks from {options.Devices} devices " +
    $"({options.InFlight} chunks in flight each), modes {string.Join(",", options.Modes.Select(m => m.Letter()))} x {options.Rounds} rounds, alternating"));
Console.WriteLine($"output: {Path.GetFullPath(options.OutputDirectory)}");

await using var devices = await SimulatedDevices.ConnectAsync(options, cancel.Token);
var bench = new FleetBenchmark(options, devices, new BrokerLog(options.BrokerLog));
await bench.WarmUpDevicesAsync(cancel.Token);

var runs = new List<RunResult>();
foreach (var (mode, round) in schedule)
{
    var run = await bench.RunAsync(mode, round, cancel.Token);
    runs.Add(run);
    Console.Write(Report.Run(run));
    Report.WriteCsv(options.OutputDirectory, runs);
    if (!run.Succeeded)
    {
        // A mode that cannot finish would only time out again: report what there is and stop.
        break;
    }
}

Console.Write(Report.Summary(runs, options.Rounds));
Console.WriteLine($"runs and RSS samples: {Path.Combine(Path.GetFullPath(options.OutputDirectory), "runs.csv")}, samples.csv");
return runs.All(r => r.Succeeded) && runs.Count == schedule.Count ? 0 : 1;
