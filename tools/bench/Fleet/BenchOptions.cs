using System.Globalization;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// The bench's command line: what to measure (user options) and where run.sh started the servers
/// (infrastructure options, which run.sh fills in).
/// </summary>
internal sealed record BenchOptions
{
    public IReadOnlyList<BenchMode> Modes { get; init; } = [BenchMode.Baseline, BenchMode.OneReceiver, BenchMode.TwoReceivers];

    public int MiB { get; init; } = 200;

    public int Devices { get; init; } = 50;

    public int ClipKiB { get; init; } = 2048;

    public int ChunkKiB { get; init; } = 128;

    public int Rounds { get; init; } = 2;

    /// <summary>A run fails when no ack (or, for the baseline, no completion) came for this long after the last publish or ack.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Chunks a device has in flight (unacknowledged by the broker) at once, like the agent's uploader.</summary>
    public int InFlight { get; init; } = 16;

    /// <summary>Small clips acknowledged before each receiver run is timed: JIT, connection pools, S3 client.</summary>
    public int WarmupClips { get; init; } = 4;

    public string BrokerHost { get; init; } = "127.0.0.1";

    public int BrokerPort { get; init; }

    /// <summary>mosquitto's log (log_type subscribe): how the bench sees a subscriber is ready.</summary>
    public string BrokerLog { get; init; } = string.Empty;

    public int BrokerPid { get; init; }

    /// <summary>The dce-fleet executable (published by run.sh).</summary>
    public string FleetExecutable { get; init; } = string.Empty;

    public string CatalogConnectionString { get; init; } = string.Empty;

    public string S3ServiceUrl { get; init; } = string.Empty;

    public string S3Bucket { get; init; } = string.Empty;

    public string S3AccessKeyId { get; init; } = "S3RVER";

    public string S3SecretAccessKey { get; init; } = "S3RVER";

    /// <summary>Where receiver logs, samples.csv and runs.csv go (kept after the run).</summary>
    public string OutputDirectory { get; init; } = "artifacts/fleet-bench";

    public long TotalBytes => (long)MiB * 1024 * 1024;

    public int ClipBytes => ClipKiB * 1024;

    public int ChunkBytes => ChunkKiB * 1024;

    public bool NeedsReceivers => Modes.Any(m => m != BenchMode.Baseline);

    public const string Usage = """
        dce-fleet-bench [--modes a,b,c] [--mib 200] [--devices 50] [--clip-kib 2048] [--chunk-kib 128]
                        [--rounds 2] [--ack-timeout 60] [--in-flight 16] [--warmup-clips 4]
          modes: a = mosquitto_sub (the broker's ceiling), b = one dce-fleet receiver, c = two receivers
          (run.sh adds --broker-port, --broker-log, --broker-pid, --fleet, --catalog, --s3-url, --s3-bucket, --out)
        """;

    /// <exception cref="ArgumentException">An unknown option, a missing value or a value out of range (the message says which).</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--modes" => options with { Modes = ParseModes(value) },
                "--mib" => options with { MiB = Positive(name, value) },
                "--devices" => options with { Devices = Positive(name, value) },
                "--clip-kib" => options with { ClipKiB = Positive(name, value) },
                "--chunk-kib" => options with { ChunkKiB = Positive(name, value) },
                "--rounds" => options with { Rounds = Positive(name, value) },
                "--ack-timeout" => options with { AckTimeout = TimeSpan.FromSeconds(Positive(name, value)) },
                "--in-flight" => options with { InFlight = Positive(name, value) },
                "--warmup-clips" => options with { WarmupClips = NotNegative(name, value) },
                "--broker-host" => options with { BrokerHost = value },
                "--broker-port" => options with { BrokerPort = Positive(name, value) },
                "--broker-log" => options with { BrokerLog = value },
                "--broker-pid" => options with { BrokerPid = Positive(name, value) },
                "--fleet" => options with { FleetExecutable = value },
                "--catalog" => options with { CatalogConnectionString = value },
                "--s3-url" => options with { S3ServiceUrl = value },
                "--s3-bucket" => options with { S3Bucket = value },
                "--s3-access-key" => options with { S3AccessKeyId = value },
                "--s3-secret-key" => options with { S3SecretAccessKey = value },
                "--out" => options with { OutputDirectory = value },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return options.Checked();
    }

    private BenchOptions Checked()
    {
        if (BrokerPort == 0 || BrokerLog.Length == 0)
        {
            throw new ArgumentException("--broker-port and --broker-log are required: start the bench with tools/bench/Fleet/run.sh.");
        }

        if (NeedsReceivers && (FleetExecutable.Length == 0 || CatalogConnectionString.Length == 0 || S3ServiceUrl.Length == 0 || S3Bucket.Length == 0))
        {
            throw new ArgumentException("modes b and c need --fleet, --catalog, --s3-url and --s3-bucket: start the bench with tools/bench/Fleet/run.sh.");
        }

        if (ChunkKiB > ClipKiB)
        {
            throw new ArgumentException($"--chunk-kib {ChunkKiB} is larger than --clip-kib {ClipKiB}.");
        }

        return this;
    }

    private static List<BenchMode> ParseModes(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m switch
        {
            "a" => BenchMode.Baseline,
            "b" => BenchMode.OneReceiver,
            "c" => BenchMode.TwoReceivers,
            _ => throw new ArgumentException($"--modes: '{m}' is not a mode (a, b or c)."),
        }).Distinct()];

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name}: '{value}' is not a positive whole number.");

    private static int NotNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name}: '{value}' is not a whole number.");
}

/// <summary>What receives the devices' clips in one run.</summary>
internal enum BenchMode
{
    /// <summary>(a) mosquitto_sub to /dev/null: the broker's delivery ceiling.</summary>
    Baseline,

    /// <summary>(b) one dce-fleet process into s3rver + PostgreSQL.</summary>
    OneReceiver,

    /// <summary>(c) two dce-fleet processes in one shared-subscription group.</summary>
    TwoReceivers,
}

internal static class BenchModeNames
{
    public static string Letter(this BenchMode mode) => mode switch
    {
        BenchMode.Baseline => "a",
        BenchMode.OneReceiver => "b",
        BenchMode.TwoReceivers => "c",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static string Describe(this BenchMode mode) => mode switch
    {
        BenchMode.Baseline => "(a) mosquitto_sub > /dev/null",
        BenchMode.OneReceiver => "(b) 1 dce-fleet receiver",
        BenchMode.TwoReceivers => "(c) 2 dce-fleet receivers",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static int Receivers(this BenchMode mode) => mode switch
    {
        BenchMode.OneReceiver => 1,
        BenchMode.TwoReceivers => 2,
        _ => 0,
    };
}
