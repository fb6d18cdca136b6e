using System.Diagnostics;
using System.Globalization;

namespace DataCentric.Edge.Bench.Fleet;

/// <summary>
/// One dce-fleet process configured as a receiver into s3rver + PostgreSQL, its output in a log
/// file under the output directory. Stopped with SIGTERM (SIGKILL after a grace period).
/// </summary>
internal sealed class FleetReceiver : IAsyncDisposable
{
    public const string SharedGroup = "dce-fleet";
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _closed;

    private FleetReceiver(int instance, Process process, StreamWriter log, string logPath)
    {
        Instance = instance;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public int Instance { get; }

    public int Pid => _process.Id;

    public string Name => string.Create(CultureInfo.InvariantCulture, $"receiver-{Instance}");

    public string ReceiverClientId => ReceiverClientIdOf(Instance);

    public string TrackerClientId => string.Create(CultureInfo.InvariantCulture, $"bench-tracker-{Instance}");

    public string LogPath { get; }

    public static string ReceiverClientIdOf(int instance) => string.Create(CultureInfo.InvariantCulture, $"bench-receiver-{instance}");

    public static FleetReceiver Start(BenchOptions options, int instance, string logPath, string workingDirectory)
    {
        Directory.CreateDirectory(workingDirectory);
        var port = options.BrokerPort.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(options.FleetExecutable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The configuration keys of src/DataCentric.Edge.FleetService (command line, as an operator would override them).
        foreach (var argument in (string[])[
            "--urls", "http://127.0.0.1:0",
            "--Catalog:Provider=Postgres",
            $"--Catalog:ConnectionString={options.CatalogConnectionString}",
            "--ObjectStore:Kind=S3",
            $"--ObjectStore:S3:ServiceUrl={options.S3ServiceUrl}",
            $"--ObjectStore:S3:Bucket={options.S3Bucket}",
            "--ObjectStore:S3:ForcePathStyle=true",
            $"--ObjectStore:S3:AccessKeyId={options.S3AccessKeyId}",
            // s3rver stores the SDK's trailing checksums and aws-chunked framing inside the object otherwise (STACK-NOTES).
            "--ObjectStore:S3:RequestChecksumCalculation=WHEN_REQUIRED",
            "--ObjectStore:S3:UseChunkEncoding=false",
            $"--Tracker:Broker:Host={options.BrokerHost}",
            $"--Tracker:Broker:Port={port}",
            $"--Tracker:ClientId=bench-tracker-{instance}",
            $"--Receiver:Broker:Host={options.BrokerHost}",
            $"--Receiver:Broker:Port={port}",
            $"--Receiver:ClientId={ReceiverClientIdOf(instance)}",
            $"--Receiver:SharedGroup={SharedGroup}",
        ])
        {
            start.ArgumentList.Add(argument);
        }

        // The secret through the environment, as the unit's EnvironmentFile would: not in `ps`.
        start.Environment["ObjectStore__S3__SecretAccessKey"] = options.S3SecretAccessKey;
        // Not watching the config files for changes (STACK-NOTES: the watcher is slow to start).
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var receiver = new FleetReceiver(instance, process, log, logPath);
        process.OutputDataReceived += (_, e) => receiver.Write(e.Data);
        process.ErrorDataReceived += (_, e) => receiver.Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return receiver;
    }

    /// <summary>Why this receiver cannot become ready (it exited), with the end of its log; null while it runs.</summary>
    public string? ExitedReason() =>
        _process.HasExited
            ? $"dce-fleet {Name} exited with code {_process.ExitCode} before it subscribed; the end of {LogPath}:{Environment.NewLine}{Tail()}"
            : null;

    /// <summary>The last lines of the receiver's log, for failure messages.</summary>
    public string Tail(int lines = 15)
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(Environment.NewLine, all.TakeLast(lines).Select(l => "    " + l.TrimEnd()));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync().ConfigureAwait(false);
        }

        // Waits for the exit and the end of its output, so the log is whole before it closes.
        if (!await ExitedWithinAsync(StopGrace).ConfigureAwait(false))
        {
            _process.Kill(entireProcessTree: true);
            await ExitedWithinAsync(StopGrace).ConfigureAwait(false);
        }

        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private async Task<bool> ExitedWithinAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Write(string? line)
    {
        lock (_log)
        {
            if (line is not null && !_closed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
