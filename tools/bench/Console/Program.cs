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

    Console.WriteLine($"server time per API call ({options.Runs} calls each, HTTP client on loopback):");
    foreach (var timing in await ApiTimings.RunAsync(fleet, seeded, options.Runs, cancel.Token))
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
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"clip view shows its first frame in under 1 s: {(firstFrame.Percentile(0.9) < 1000 ? "yes" : "no")} (median {firstFrame.Median:0} ms, p90 {firstFrame.Percentile(0.9):0} ms, max {firstFrame.Max:0} ms)"));
    Console.WriteLine($"screenshots: {options.Out}");
    return 0;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    Console.Error.WriteLine($"dce-console-bench: {e}");
    return 1;
}
