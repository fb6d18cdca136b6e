using System.Globalization;

namespace DataCentric.Edge.Bench.TriggerFuzz;

internal sealed record FuzzOptions
{
    public const string Usage = """
        usage: dce-bench-trigger-fuzz [--seed N] [--count N] [--start N] [--time-limit-ms N] [--threads N] [--ticks N] [--out DIR] [--only INDEX]
          --seed           generator seed (default 1); set i of seed s is always the same input
          --count          sets to run (default 100000)
          --start          first set index (default 0)
          --time-limit-ms  per-set limit; a set past it is reported as a hang and abandoned (default 1000)
          --threads        worker threads (default: processor count)
          --ticks          engine ticks per accepted set (default 300)
          --out            folder for crash/hang/slowest inputs and summary.txt (default artifacts/trigger-fuzz/<seed>)
          --only           run just this set index, print its input and outcome (reproduce a finding)
        """;

    public int Seed { get; init; } = 1;

    public long Count { get; init; } = 100_000;

    public long Start { get; init; }

    public int TimeLimitMs { get; init; } = 1000;

    public int Threads { get; init; } = Environment.ProcessorCount;

    public int Ticks { get; init; } = 300;

    public string? OutputDirectory { get; init; }

    public long? Only { get; init; }

    public string Output => OutputDirectory ?? Path.Combine("artifacts", "trigger-fuzz", $"seed-{Seed}");

    public static FuzzOptions Parse(string[] args)
    {
        var options = new FuzzOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException("help");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            var value = args[++i];
            options = name switch
            {
                "--seed" => options with { Seed = Int(name, value, int.MinValue) },
                "--count" => options with { Count = Long(name, value, 1) },
                "--start" => options with { Start = Long(name, value, 0) },
                "--time-limit-ms" => options with { TimeLimitMs = Int(name, value, 1) },
                "--threads" => options with { Threads = Int(name, value, 1) },
                "--ticks" => options with { Ticks = Int(name, value, 0) },
                "--out" => options with { OutputDirectory = value },
                "--only" => options with { Only = Long(name, value, 0) },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return options;
    }

    private static int Int(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new ArgumentException($"{name}: '{value}' is not a whole number >= {min}");

    private static long Long(string name, string value, long min) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new ArgumentException($"{name}: '{value}' is not a whole number >= {min}");
}
