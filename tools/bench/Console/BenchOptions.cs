using System.Globalization;

namespace DataCentric.Edge.Bench.Console;

/// <summary>The bench's command line: <c>--demo-clips DIR [--clips 10000] [--devices 100] [--runs 20] [--out DIR]</c>.</summary>
internal sealed record BenchOptions(string DemoClips, int Clips, int Devices, int Runs, string Out, string Repository)
{
    public static BenchOptions Parse(string[] args)
    {
        string? demoClips = null, repository = null;
        int clips = 10_000, devices = 100, runs = 20;
        var output = Path.Combine(Environment.CurrentDirectory, "artifacts", "console-bench");
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option '{args[i]}' needs a value");
            switch (args[i])
            {
                case "--demo-clips": demoClips = value; break;
                case "--clips": clips = Positive(args[i], value); break;
                case "--devices": devices = Positive(args[i], value); break;
                case "--runs": runs = Positive(args[i], value); break;
                case "--out": output = value; break;
                case "--repository": repository = value; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }

            i++;
        }

        if (demoClips is null || !Directory.Exists(demoClips))
        {
            throw new ArgumentException("--demo-clips: a folder of clips the demo received (dce-agent demo --out DIR) is required");
        }

        return new BenchOptions(
            Path.GetFullPath(demoClips), clips, devices, runs, Path.GetFullPath(output),
            Path.GetFullPath(repository ?? Environment.CurrentDirectory));
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"option '{name}': '{value}' is not a positive whole number");
}
