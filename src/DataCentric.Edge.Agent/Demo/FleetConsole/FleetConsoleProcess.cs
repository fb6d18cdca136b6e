using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DataCentric.Edge.Agent.Demo.FleetConsole;

/// <summary>
/// dce-fleet as the demo's child process: started with its settings on the command line, its log kept
/// (the last lines, for an error) and its warnings passed on; stopped with SIGTERM so it shuts down as
/// under systemd, and killed with its tree only if it does not within the grace period.
/// </summary>
internal sealed class FleetConsoleProcess : IAsyncDisposable
{
    private const int KeptLines = 40;
    private const int SigTerm = 15;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly Action<string> _onProblem;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FleetConsoleProcess(Process process, Action<string> onProblem)
    {
        _process = process;
        _onProblem = onProblem;
    }

    public int Id => _process.Id;

    /// <summary>Completes when the process has exited, whoever stopped it.</summary>
    public Task Exited => _exited.Task;

    /// <param name="onProblem">Called with each warning or error line dce-fleet logs.</param>
    public static FleetConsoleProcess Start(FleetServiceCommand command, IEnumerable<string> settings, string workingDirectory, Action<string> onProblem)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in command.Arguments.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        // One line per entry, so warnings can be picked out; not the systemd format the shipped config asks for.
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new FleetConsoleProcess(process, onProblem);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child._exited.TrySetResult();
        if (!process.Start())
        {
            throw new DemoConsoleException($"could not start {command.FileName}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>What dce-fleet printed last, for a failure message.</summary>
    public string LastLines()
    {
        lock (_lastLines)
        {
            return string.Join(Environment.NewLine, _lastLines);
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>SIGTERM, then the whole tree killed if it is still running after the grace period.</summary>
    public async Task StopAsync()
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        _ = Kill(_process.Id, SigTerm);
        if (await Task.WhenAny(_exited.Task, Task.Delay(StopGrace)).ConfigureAwait(false) != _exited.Task)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }

        if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            _onProblem(line);
        }
    }

    // int kill(pid_t pid, int sig): .NET's Process has no way to send SIGTERM.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
