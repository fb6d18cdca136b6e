using System.Globalization;
using DataCentric.Edge.Bench.Console;

// Fleet console timings at 10 000 clips and 100 devices (issue 16 "Measure"); see README.md.
// Exits non-zero only when something failed, never because a figure is slow.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"dce-console-bench: {e.Message}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
try
{
    await using var fleet = await FleetUnderBench.StartAsync(cancel.Token);
    Console.WriteLine($"dce-fleet at {fleet.Url} on PostgreSQL + s3rver (log: {fleet.LogPath})");
    var seeded = await CatalogSeed.RunAsync(fleet, options, cancel.Token);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"seeded {seeded.Clips.Count} clips of {seeded.Devices.Count} devices in {seeded.Took.TotalSeconds:0.0} s (copies of {seeded.Clips.Select(c => c.FileName).Distinct().Count()} real demo clips, {seeded.Clips[0].FrameCount}+ frames each)"));

    Console.WriteLine($"load average at start: {LoadAverage()}");
    Console.WriteLine($"server time per API call ({options.Runs} calls each, HTTP client on loopback), right after the bulk load:");
    foreach (var timing in await ApiTimings.RunAsync(fleet, seeded, options.Runs, 1000, cancel.Token))
    {
        Console.WriteLine($"  {timing}");
    }

    await CatalogSeed.AnalyzeAsync(fleet, cancel.Token);
    Console.WriteLine("the same after ANALYZE clips (what autovacuum does within a minute of a bulk load):");
    foreach (var timing in await ApiTimings.RunAsync(fleet, seeded, options.Runs, 3000, cancel.Token))
    {
        Console.WriteLine($"  {timing}");
    }

    Console.WriteLine($"pages in chromium ({options.Runs} runs each, a fresh browser context per run):");
    var pages = await BrowserTimings.RunAsync(fleet, seeded, options);
    foreach (var timing in pages)
    {
        Console.WriteLine($"  {timing}");
    }

    var firstFrame = pages.Single(t => t.Name.StartsWith("clip view: first frame shown (Playwright)", StringComparison.Ordinal));
    var shell = pages.Single(t => t.Name.StartsWith("sign-in page shown (Playwright)", StringComparison.Ordinal));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"clip view first frame under 1 s: median {(firstFrame.Median < 1000 ? "yes" : "no")} ({firstFrame.Median:0} ms), {firstFrame.Under(1000)} of {firstFrame.Count} runs; {firstFrame.Median / shell.Median:0.0}x the sign-in page (no API call) in the same runs"));
    Console.WriteLine($"load average at end: {LoadAverage()}");
    Console.WriteLine($"screenshots: {options.Out}");
    return 0;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    Console.Error.WriteLine($"dce-console-bench: {e}");
    return 1;
}

// The figures depend on what else the machine runs: print it beside them.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" ({Environment.ProcessorCount} CPUs)" : "unknown";
