using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace DataCentric.Edge.TestKit.Broker;

/// <summary>
/// A real mosquitto for interop tests: writes a config into a temp directory, runs
/// <c>mosquitto -c</c> on a free loopback port, waits until it accepts connections, and kills it on
/// dispose. <see cref="StopAsync"/> and <see cref="StartAsync()"/> make an outage on the same port.
/// </summary>
/// <remarks>
/// Started as root, mosquitto drops to the <c>mosquitto</c> user before it reads its ACL, CA,
/// certificate and key (as on a fleet server, where they live in /etc/mosquitto). So every file it
/// reads is copied into a directory of its own that any user can enter and read, wherever the
/// checkout or the test's temp directory is, and the persistence folder is one it can write.
/// </remarks>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(10);
    private static readonly UnixFileMode Traversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static readonly UnixFileMode Readable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly UnixFileMode Writable = Traversable | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    private readonly string _dir;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private MosquittoBroker(string dir, int port, int? toolsPort, string configPath)
    {
        _dir = dir;
        Port = port;
        ToolsPort = toolsPort;
        ConfigPath = configPath;
    }

    /// <summary>The port devices (or, without TLS, every client) connect to.</summary>
    public int Port { get; }

    /// <summary>With TLS, the fleet tools' listener (the shipped 8884); null without TLS.</summary>
    public int? ToolsPort { get; }

    public string ConfigPath { get; }

    /// <summary>mosquitto's own output so far, for failure messages.</summary>
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

    public static string Executable { get; } = FindExecutable();

    public static async Task<MosquittoBroker> StartAsync(MosquittoOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MosquittoOptions();
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The mosquitto fixture runs on Linux (tools/test.sh installs mosquitto there).");
        }

        var dir = CreateWorldReadableDirectory();
        var port = FreePort();
        int? toolsPort = options.Tls is null ? null : FreePort();
        var configPath = Path.Combine(dir, "mosquitto.conf");
        var broker = new MosquittoBroker(dir, port, toolsPort, configPath);
        try
        {
            var config = Config(port, toolsPort, options, dir);
            await File.WriteAllTextAsync(configPath, config, cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(configPath, Readable);
            await broker.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return broker;
    }

    /// <summary>(Re)starts the process on the same port and waits until it listens.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        var start = new ProcessStartInfo(Executable, ["-c", ConfigPath])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await WaitUntilListeningAsync(process, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the broker (like a crash or a lost link): clients see the connection drop.</summary>
    public Task StopAsync() => StopAsync(graceful: false);

    /// <summary>
    /// Stops the broker; <paramref name="graceful"/> sends SIGTERM so it saves its persistence file
    /// first, and throws when persistence is on and mosquitto saved none.
    /// </summary>
    public async Task StopAsync(bool graceful)
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                if (graceful)
                {
                    using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                    await kill.WaitForExitAsync().ConfigureAwait(false);
                }
                else
                {
                    process.Kill();
                }

                await process.WaitForExitAsync().ConfigureAwait(false);
            }

            process.Dispose();
            var database = Path.Combine(_dir, "data", "mosquitto.db");
            if (graceful && System.IO.Directory.Exists(Path.GetDirectoryName(database)) &&
                (!File.Exists(database) || Log.Contains("Error saving", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException($"mosquitto stopped gracefully with persistence on but saved no {database}:{Environment.NewLine}{Log}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open by a failing test must not hide the real failure.
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilListeningAsync(Process process, CancellationToken cancellationToken)
    {
        // mosquitto gives no readiness signal we can await: poll the port, bounded by a deadline.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {process.ExitCode} at start:{Environment.NewLine}{Log}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < StartDeadline)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"mosquitto did not listen on 127.0.0.1:{Port} within {StartDeadline.TotalSeconds} s:{Environment.NewLine}{Log}", e);
            }
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static string Config(int port, int? toolsPort, MosquittoOptions options, string dir)
    {
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1");
        config.AppendLine(options.Persistence ? "persistence true" : "persistence false");
        if (options.Persistence)
        {
            // mosquitto writes here after dropping to its own user (as /var/lib/mosquitto is its own).
            var data = System.IO.Directory.CreateDirectory(Path.Combine(dir, "data")).FullName;
            File.SetUnixFileMode(data, Writable);
            config.AppendLine(CultureInfo.InvariantCulture, $"persistence_location {data}/");
        }

        config.AppendLine("log_dest stderr");
        config.AppendLine("log_type error");
        config.AppendLine("log_type warning");
        if (options.LogConnections)
        {
            config.AppendLine("log_type notice");
        }

        if (options.Tls is { } pki)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"cafile {CopyIn(pki.CaCertificatePath, dir, "ca.crt")}");
            config.AppendLine(CultureInfo.InvariantCulture, $"certfile {CopyIn(pki.ServerCertificatePath, dir, "server.crt")}");
            config.AppendLine(CultureInfo.InvariantCulture, $"keyfile {CopyIn(pki.ServerKeyPath, dir, "server.key")}");
            foreach (var line in ShippedMosquittoConfig.ListenerSettings(ShippedMosquittoConfig.DevicePort))
            {
                if (!(options.WithoutClientIdBinding && line.StartsWith("use_username_as_clientid", StringComparison.Ordinal)))
                {
                    config.AppendLine(line);
                }
            }

            config.AppendLine("allow_anonymous false");
        }
        else
        {
            config.AppendLine("allow_anonymous true");
        }

        if (options.AclFile is { } acl)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"acl_file {CopyIn(acl, dir, "acl")}");
        }

        if (options.MessageSizeLimitBytes is { } messageLimit)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"message_size_limit {messageLimit}");
        }

        if (options.MaxPacketSizeBytes is { } packetLimit)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"max_packet_size {packetLimit}");
        }

        if (options.MaxInflightMessages is { } inflight)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"max_inflight_messages {inflight}");
        }

        if (options.Tls is { } tools && toolsPort is { } second)
        {
            // Last: every listener-level line after it would apply to this listener.
            config.AppendLine(CultureInfo.InvariantCulture, $"listener {second} 127.0.0.1");
            config.AppendLine(CultureInfo.InvariantCulture, $"cafile {CopyIn(tools.ToolsCaCertificatePath, dir, "tools-ca.crt")}");
            config.AppendLine(CultureInfo.InvariantCulture, $"certfile {Path.Combine(dir, "server.crt")}");
            config.AppendLine(CultureInfo.InvariantCulture, $"keyfile {Path.Combine(dir, "server.key")}");
            foreach (var line in ShippedMosquittoConfig.ListenerSettings(ShippedMosquittoConfig.ToolsPort))
            {
                config.AppendLine(line);
            }
        }

        return config.ToString();
    }

    /// <summary>
    /// A fresh directory under a temp folder every user can traverse (the test's own temp folder may
    /// be private: TMPDIR set to a <c>mktemp -d</c> folder), itself readable by every user.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private static string CreateWorldReadableDirectory()
    {
        var parent = Path.GetTempPath();
        if (!EveryoneCanTraverse(parent))
        {
            parent = "/tmp";
        }

        var dir = Path.Combine(parent, $"dce-mosquitto-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Traversable);
        return dir;
    }

    private static bool EveryoneCanTraverse(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists || (dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies <paramref name="source"/> into the broker's directory, readable by mosquitto's user.</summary>
    [UnsupportedOSPlatform("windows")]
    private static string CopyIn(string source, string dir, string name)
    {
        var target = Path.Combine(dir, name);
        File.Copy(source, target, overwrite: false);

        // The key too: this is a throw-away key of a test CA, and mosquitto reads it as its own user.
        File.SetUnixFileMode(target, Readable);
        return target;
    }

    private static string FindExecutable()
    {
        foreach (var candidate in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
            .Select(p => Path.Combine(p, "mosquitto")).FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException("mosquitto is not installed: run tools/test.sh (it installs it) or apt-get install mosquitto mosquitto-clients");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
