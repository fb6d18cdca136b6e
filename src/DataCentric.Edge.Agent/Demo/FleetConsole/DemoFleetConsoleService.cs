using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Demo.FleetConsole;

/// <summary>
/// <c>demo --console</c>: dce-fleet on its embedded defaults (LiteDB catalog and a local object folder under
/// the demo's data directory), its receiver, tracker and operator link on the demo's broker, and one operator
/// token drawn for this run. Start returns once dce-fleet's receiver has subscribed and its API listens, so
/// the stages that start after it produce no clip the console misses.
/// </summary>
internal sealed partial class DemoFleetConsoleService(
    EmbeddedBrokerService broker, AgentOptions agent, DemoConsole console, ILogger<DemoFleetConsoleService> logger) : IHostedService
{
    /// <summary>dce-fleet's own default port; another free one when it is taken.</summary>
    public const int PreferredPort = 8480;

    private const string ReceiverClientId = "dce-fleet-receiver";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private FleetConsoleProcess? _process;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var command = await FleetServiceLocator.LocateAsync(console.OnFleetConsoleNote, cancellationToken).ConfigureAwait(false);
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(agent.DataDirectory), "fleet-console")).FullName;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var tokenFile = Path.Combine(directory, "operator.token");
        await File.WriteAllTextAsync(tokenFile, token, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{PickPort()}/"));

        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSubscribed(string clientId, string filter)
        {
            if (clientId == ReceiverClientId && filter == FleetTopics.AllClipChunks)
            {
                subscribed.TrySetResult();
            }
        }

        broker.Broker.ClientSubscribed += OnSubscribed;
        try
        {
            LogStarting(command.Origin, url);
            _process = FleetConsoleProcess.Start(command, Settings(url, tokenFile, directory, broker.Broker.Port), directory, line => LogFleetProblem(line));
            await WaitUntilReadyAsync(url, subscribed.Task, cancellationToken).ConfigureAwait(false);
        }
        catch when (_process is not null)
        {
            // Not ready, or Ctrl+C during the start: the host will not stop what did not start, so stop it here.
            await _process.StopAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            broker.Broker.ClientSubscribed -= OnSubscribed;
        }

        console.OnFleetConsoleStarted(new Uri(url, "console/"), token, _process.Id);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            await _process.StopAsync().ConfigureAwait(false);
            LogStopped(_process.ExitCode);
            await _process.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static List<string> Settings(Uri url, string tokenFile, string directory, int brokerPort)
    {
        var settings = new List<string>
        {
            $"--urls={url.GetLeftPart(UriPartial.Authority)}",
            $"--Catalog:EmbeddedPath={Path.Combine(directory, "fleet-catalog.db")}",
            $"--ObjectStore:Directory={Path.Combine(directory, "fleet-objects")}",
            "--Api:Tokens:0:Name=demo",
            "--Api:Tokens:0:Role=Operator",
            $"--Api:Tokens:0:TokenFile={tokenFile}",
            "--ConsoleTriggers:AllowSelfApproval=true",
        };
        foreach (var section in new[] { "Receiver", "Tracker", "Operator" })
        {
            settings.Add($"--{section}:Broker:Host=127.0.0.1");
            settings.Add(string.Create(CultureInfo.InvariantCulture, $"--{section}:Broker:Port={brokerPort}"));
        }

        return settings;
    }

    /// <summary>
    /// Until the receiver has subscribed on the demo's broker and the HTTP port accepts connections (Kestrel
    /// listens once every start-up service, the catalog's included, has started). A TCP connect rather than an
    /// HTTP call keeps HttpClient out of the agent's native build.
    /// </summary>
    private async Task WaitUntilReadyAsync(Uri url, Task subscribed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        try
        {
            var listening = false;
            while (!listening || !subscribed.IsCompleted)
            {
                if (_process!.Exited.IsCompleted)
                {
                    throw new DemoConsoleException($"dce-fleet exited ({_process.ExitCode}) before it was ready:{Environment.NewLine}{_process.LastLines()}");
                }

                listening = listening || await AcceptsAsync(url.Port, timeout.Token).ConfigureAwait(false);
                await Task.WhenAny(subscribed, _process.Exited, Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DemoConsoleException(
                $"dce-fleet was not ready within {ReadyTimeout.TotalSeconds:0} s (listening on {url}: no answer yet, or receiver subscribed: {subscribed.IsCompleted}):{Environment.NewLine}{_process!.LastLines()}");
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false; // not listening yet
        }
    }

    private static int PickPort()
    {
        foreach (var port in new[] { PreferredPort, 0 })
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            catch (SocketException) when (port != 0)
            {
                // Taken (another console, a second demo): let the kernel pick one.
            }
        }

        throw new UnreachableException();
    }

    [LoggerMessage(EventId = 920, Level = LogLevel.Information, Message = "Starting the fleet console {FleetService} at {Url}")]
    private partial void LogStarting(string fleetService, Uri url);

    [LoggerMessage(EventId = 921, Level = LogLevel.Warning, Message = "dce-fleet: {Line}")]
    private partial void LogFleetProblem(string line);

    [LoggerMessage(EventId = 922, Level = LogLevel.Information, Message = "The fleet console stopped (exit code {ExitCode})")]
    private partial void LogStopped(int exitCode);
}
