using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.TestKit.Fleet;

/// <summary>
/// A real S3-compatible server for the fleet's object-store tests: s3rver (npm, pinned in
/// tools/s3rver/package-lock.json and installed by tools/test.sh with <c>npm ci</c>) on a free
/// loopback port over a temp directory, killed and removed on dispose.
/// </summary>
/// <remarks>
/// What the AWS SDK needs to talk to it (STACK-NOTES, "The fleet side"): path-style addressing,
/// request checksums only when required and no aws-chunked bodies, or the checksum framing ends up
/// inside the objects. s3rver accepts any request signed with <see cref="AccessKeyId"/> /
/// <see cref="SecretAccessKey"/> and unsigned ones too. It does not implement
/// AbortMultipartUpload (it answers 405) and keeps the parts of unfinished uploads on disk.
/// </remarks>
public sealed partial class S3rverServer : IAsyncDisposable
{
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";
    public const string Region = "us-east-1";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _data = new("dce-s3rver");
    private readonly StringBuilder _log = new();
    private TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _http = new();
    private Process? _process;

    private S3rverServer()
    {
    }

    /// <summary>e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>Where s3rver keeps buckets and objects (one folder per bucket).</summary>
    public string DataDirectory => _data.Path;

    /// <summary>s3rver's output so far (one line per request answered), for failure messages and checks.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The s3rver entry point under tools/s3rver; fails with what to run when it is not installed.</summary>
    public static string Script
    {
        get
        {
            try
            {
                return RepositoryFiles.Path("tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
            }
            catch (FileNotFoundException e)
            {
                throw new InvalidOperationException(
                    "s3rver is not installed: run tools/test.sh, or `npm ci --prefix tools/s3rver --no-audit --no-fund` (node and npm from Debian's nodejs and npm).", e);
            }
        }
    }

    public static async Task<S3rverServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new S3rverServer();
        try
        {
            await server.RunAsync(port: 0, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Creates a bucket (an unsigned PUT, which s3rver allows); creating one that exists is fine.</summary>
    public async Task CreateBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        using var response = await _http.PutAsync(new Uri(ServiceUrl, bucket), content: null, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && !body.Contains("BucketAlreadyOwnedByYou", StringComparison.Ordinal)
            && !body.Contains("BucketAlreadyExists", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"s3rver refused bucket {bucket}: {(int)response.StatusCode} {body}");
        }
    }

    /// <summary>Kills the server, keeping its data: for tests of the object store going away mid-write.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }

            process.Dispose();
        }
    }

    /// <summary>Starts a stopped server again on its port, over the same data.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        _listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await RunAsync(ServiceUrl.Port, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _http.Dispose();
        _data.Dispose();
    }

    private async Task RunAsync(int port, CancellationToken cancellationToken)
    {
        var node = FindNode();
        var start = new ProcessStartInfo(node, [Script, "--directory", _data.Path, "--address", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--no-vhost-buckets"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        var listening = _listening; // This start's: a killed predecessor's exit must not fail the next start.
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"s3rver exited at start:{Environment.NewLine}{Log}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        // s3rver prints "S3rver listening on 127.0.0.1:PORT" once it accepts requests (port 0: no race for a free port).
        try
        {
            port = await _listening.Task.WaitAsync(StartDeadline, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"s3rver did not start within {StartDeadline.TotalSeconds} s:{Environment.NewLine}{Log}", e);
        }

        ServiceUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        using var probe = await _http.GetAsync(ServiceUrl, cancellationToken).ConfigureAwait(false);
        if (!probe.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"s3rver answered {(int)probe.StatusCode} to a bucket listing:{Environment.NewLine}{Log}");
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        }
    }

    private static string FindNode()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, "node")).FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException("node is not installed: run tools/test.sh (it installs nodejs and npm) or apt-get install nodejs npm");
    }

    [GeneratedRegex(@"S3rver listening on [^:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
