using System.Globalization;
using DataCentric.Edge.Bench.TriggerFuzz;

// dce-bench-trigger-fuzz: hostile trigger sets through parse → bind → compile → evaluate (see README.md).
FuzzOptions options;
try
{
    options = FuzzOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"dce-bench-trigger-fuzz: {e.Message}{Environment.NewLine}{FuzzOptions.Usage}");
    return 2;
}

if (options.Only is { } only)
{
    var input = HostileSetGenerator.Generate(options.Seed, only);
    Console.WriteLine($"seed {options.Seed} set {only} ({input.Format}, {input.Text.Length} chars), mutations: {input.Mutations}");
    Console.WriteLine(input.Text.Length <= 4000 ? input.Text : input.Text[..4000] + "\n… (truncated)");
    var started = DateTime.UtcNow;
    var result = SetRunner.Run(input, options.Ticks, CancellationToken.None);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outcome: {result.Outcome} in {(DateTime.UtcNow - started).TotalMilliseconds:F1} ms {result.Detail}"));
    if (result.Error is not null)
    {
        Console.WriteLine(result.Error);
    }

    return result.Outcome is Outcome.Accepted or Outcome.Refused ? 0 : 1;
}

// Warm-up (not counted): the JIT's first compile of the parser, binder and engine would otherwise land on the first sets' clocks.
for (var i = 0; i < 20; i++)
{
    foreach (var input in HostileSetGenerator.WarmUpSets())
    {
        if (SetRunner.Run(input, options.Ticks, CancellationToken.None) is { Outcome: not Outcome.Accepted } failed && input.Mutations == "none")
        {
            await Console.Error.WriteLineAsync($"dce-bench-trigger-fuzz: the shipped conditions did not compile and run; the product changed under the bench: {failed.Outcome} {failed.Detail} {failed.Error}{Environment.NewLine}{input.Text}");
            return 3;
        }
    }
}

Directory.CreateDirectory(options.Output);
Console.WriteLine($"trigger fuzz: {options.Count} sets from seed {options.Seed}, {options.Threads} threads, {options.TimeLimitMs} ms per set; output {Path.GetFullPath(options.Output)}");
var run = new FuzzRun(options);
run.Run(Console.Out);
var report = run.Report();
Console.WriteLine();
Console.Write(report);
await File.WriteAllTextAsync(Path.Combine(options.Output, "summary.txt"), report);
Console.WriteLine($"summary and inputs: {Path.GetFullPath(options.Output)}");
return run.Failed || run.StoppedEarly ? 1 : 0;
