using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace DataCentric.Edge.TestKit.Fleet;

/// <summary>
/// A real PostgreSQL server for one test class or collection: <c>initdb</c> into a private folder,
/// <c>pg_ctl start</c> on a free loopback port (waiting until it accepts connections), a database
/// per test from <see cref="CreateDatabaseAsync"/>, and stop and delete on dispose.
/// </summary>
/// <remarks>
/// As root, the server runs as the <c>postgres</c> user (<see cref="PostgresBinaries"/>): its folder
/// is made under /tmp, every parent traversable by that user, and handed to it (a checkout in a
/// mode-700 home directory would not be). Durability is off (fsync, synchronous_commit,
/// full_page_writes): these servers hold throw-away test data and must start and run fast.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The superuser initdb creates; trust authentication on loopback, no password.</summary>
    public const string SuperUser = "postgres";

    private static readonly UnixFileMode Traversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly string _dir;
    private int _databases;
    private bool _running;

    private PostgresServer(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; private set; }

    public string Host => "127.0.0.1";

    /// <summary>How long initdb and the start took (for reports; never a test threshold).</summary>
    public TimeSpan StartupTime { get; private set; }

    private string DataDirectory => Path.Combine(_dir, "data");

    private string LogPath => Path.Combine(_dir, "server.log");

    /// <summary>What the server logged so far, for failure messages.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;

    /// <exception cref="InvalidOperationException">The server is not installed (the message names the package) or did not start (with its log).</exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The PostgreSQL fixture runs on Linux (tools/test.sh installs the postgresql package there).");
        }

        var binaries = PostgresBinaries.BinDirectory;
        var clock = Stopwatch.StartNew();
        var server = new PostgresServer(await CreateServerDirectoryAsync(cancellationToken).ConfigureAwait(false), FreePort());
        try
        {
            await PostgresBinaries.RunAsync(
                "initdb",
                ["-D", server.DataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                cancellationToken).ConfigureAwait(false);
            await server.StartServerAsync(cancellationToken).ConfigureAwait(false);
            server.StartupTime = clock.Elapsed;
            return server;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var log = server.Log;
            await server.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"PostgreSQL from {binaries} did not start: {e.Message}{Environment.NewLine}{log}", e);
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres") =>
        string.Create(CultureInfo.InvariantCulture, $"Host={Host};Port={Port};Username={SuperUser};Database={database};Timeout=10;Command Timeout=30");

    /// <summary>Creates a fresh, empty database and returns its connection string (one per test keeps tests apart).</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}");
        var createdb = new ProcessStartInfo(
            Path.Combine(PostgresBinaries.BinDirectory, "createdb"),
            ["-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser, name]);
        await PostgresBinaries.RunAsync(createdb, cancellationToken).ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>
    /// Stops the server, dropping every connection, and keeps its data: for tests of the catalog going
    /// away. A fast shutdown, not an immediate one: this server runs with synchronous_commit off, and an
    /// immediate stop would lose commits a production server (synchronous_commit on) keeps.
    /// </summary>
    public async Task StopAsync()
    {
        if (_running)
        {
            _running = false;
            await PostgresBinaries.RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Starts a stopped server again on its port, over the same data.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => StartServerAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            _running = false;
            try
            {
                // Immediate: nothing here needs a clean shutdown, and it takes no time.
                await PostgresBinaries.RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder goes below either way.
            }
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a failing test must not be hidden by its clean-up.
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        // A free port can be taken between the probe and the bind: try again on another.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var options = string.Create(
                    CultureInfo.InvariantCulture,
                    $"-p {Port} -k {_dir} -c listen_addresses={Host} -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
                await PostgresBinaries.RunAsync(
                    "pg_ctl",
                    ["-D", DataDirectory, "-l", LogPath, "-w", "-t", "30", "-o", options, "start"],
                    cancellationToken).ConfigureAwait(false);
                _running = true;
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && Log.Contains("could not bind", StringComparison.Ordinal))
            {
                Port = FreePort();
            }
        }
    }

    /// <summary>
    /// A fresh folder directly under /tmp (the test's own temp folder may be private), mode 755,
    /// owned by the server's user when the tests run as root.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task<string> CreateServerDirectoryAsync(CancellationToken cancellationToken)
    {
        var dir = Path.Combine("/tmp", $"dce-postgres-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Traversable);
        if (PostgresBinaries.RunAsServerUser)
        {
            await PostgresBinaries.RunAsync(new ProcessStartInfo("chown", [$"{PostgresBinaries.ServerUser}:", dir]), cancellationToken).ConfigureAwait(false);
        }

        return dir;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
