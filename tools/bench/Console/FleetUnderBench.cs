using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Fleet;

namespace DataCentric.Edge.Bench.Console;

/// <summary>
/// dce-fleet as a fleet runs it: a PostgreSQL catalog and an S3-compatible store (s3rver), both started the
/// way the tests start them (TestKit), and the dce-fleet build beside the bench as a process of its own.
/// No broker: the console reads the catalog, so the receiver's reconnect warnings go to the log only.
/// </summary>
internal sealed class FleetUnderBench : IAsyncDisposable
{
    public const string Bucket = "dce-console-bench";

    private readonly TempDirectory _dir = new("dce-console-bench");
    private PostgresServer? _postgres;
    private S3rverServer? _s3;
    private Process? _fleet;

    public string Token { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public Uri Url { get; private set; } = null!;

    /// <summary>The settings dce-fleet runs with, also the ones the seed opens the same catalog and store with.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    public string LogPath => _dir.Combine("dce-fleet.log");

    public static async Task<FleetUnderBench> StartAsync(CancellationToken cancellationToken)
    {
        var rig = new FleetUnderBench();
        try
        {
            await rig.StartServersAsync(cancellationToken);
            await rig.StartFleetAsync(cancellationToken);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_fleet is { HasExited: false })
        {
            _fleet.Kill(entireProcessTree: true);
            await _fleet.WaitForExitAsync();
        }

        _fleet?.Dispose();
        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _dir.Dispose();
    }

    private async Task StartServersAsync(CancellationToken cancellationToken)
    {
        _postgres = await PostgresServer.StartAsync(cancellationToken);
        var connection = await _postgres.CreateDatabaseAsync(cancellationToken);
        _s3 = await S3rverServer.StartAsync(cancellationToken);
        await _s3.CreateBucketAsync(Bucket, cancellationToken);
        var tokenFile = _dir.Combine("operator.token");
        await File.WriteAllTextAsync(tokenFile, Token, cancellationToken);
        foreach (var (key, value) in new (string, string)[]
        {
            ("Catalog:Provider", "Postgres"),
            ("Catalog:ConnectionString", connection),
            ("ObjectStore:Kind", "S3"),
            ("ObjectStore:KeyPrefix", "clips/"),
            ("ObjectStore:S3:ServiceUrl", _s3.ServiceUrl.ToString()),
            ("ObjectStore:S3:Region", S3rverServer.Region),
            ("ObjectStore:S3:Bucket", Bucket),
            ("ObjectStore:S3:ForcePathStyle", "true"),
            ("ObjectStore:S3:AccessKeyId", S3rverServer.AccessKeyId),
            ("ObjectStore:S3:SecretAccessKey", S3rverServer.SecretAccessKey),
            ("ObjectStore:S3:RequestChecksumCalculation", "WHEN_REQUIRED"),
            ("ObjectStore:S3:UseChunkEncoding", "false"),
            ("Api:Tokens:0:Name", "bench"),
            ("Api:Tokens:0:Role", "Operator"),
            ("Api:Tokens:0:TokenFile", tokenFile),
        })
        {
            Settings[key] = value;
        }
    }

    private async Task StartFleetAsync(CancellationToken cancellationToken)
    {
        Url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort()}/"));
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir.Path };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dce-fleet.dll"));
        start.ArgumentList.Add($"--urls={Url.GetLeftPart(UriPartial.Authority)}");
        foreach (var (key, value) in Settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        _fleet = Process.Start(start)!;
        var log = new StreamWriter(LogPath) { AutoFlush = true };
        _fleet.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _fleet.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _fleet.BeginOutputReadLine();
        _fleet.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (_fleet.HasExited)
            {
                throw new InvalidOperationException($"dce-fleet exited ({_fleet.ExitCode}); its log: {LogPath}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri(Url, "healthz"), cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"dce-fleet did not answer /healthz within 90 s; its log: {LogPath}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
