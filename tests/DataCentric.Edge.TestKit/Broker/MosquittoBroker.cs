using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DataCentric.Edge.TestKit.Broker;

/// <summary>
/// A real mosquitto for interop tests: writes a config into a temp directory, runs
/// <c>mosquitto -c</c> on a free loopback port, waits until it accepts connections, and kills it on
/// dispose. <see cref="StopAsync"/> and <see cref="StartAsync()"/> make an outage on the same port.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private MosquittoBroker(TempDirectory dir, int port, string configPath)
    {
        _dir = dir;
        Port = port;
        ConfigPath = configPath;
    }

    public int Port { get; }

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
        var dir = new TempDirectory("dce-mosquitto");
        var port = FreePort();
        var configPath = dir.Combine("mosquitto.conf");
        await File.WriteAllTextAsync(configPath, Config(port, options, configPath), cancellationToken).ConfigureAwait(false);
        var broker = new MosquittoBroker(dir, port, configPath);
        try
        {
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

    /// <summary>Stops the broker; <paramref name="graceful"/> sends SIGTERM so it saves its persistence file first.</summary>
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
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _dir.Dispose();
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

    private static string Config(int port, MosquittoOptions options, string configPath)
    {
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1");
        config.AppendLine(options.Persistence ? "persistence true" : "persistence false");
        if (options.Persistence)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"persistence_location {Path.GetDirectoryName(configPath)}/");
        }

        config.AppendLine("log_dest stderr");
        config.AppendLine("log_type error");
        config.AppendLine("log_type warning");
        if (options.Tls is { } pki)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"cafile {pki.CaCertificatePath}");
            config.AppendLine(CultureInfo.InvariantCulture, $"certfile {pki.ServerCertificatePath}");
            config.AppendLine(CultureInfo.InvariantCulture, $"keyfile {pki.ServerKeyPath}");
            config.AppendLine("require_certificate true");
            config.AppendLine("use_identity_as_username true");
            config.AppendLine("allow_anonymous false");
        }
        else
        {
            config.AppendLine("allow_anonymous true");
        }

        if (options.AclFile is { } acl)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"acl_file {acl}");
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

        return config.ToString();
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
