using System.Diagnostics;
using System.Text;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.Agent.Tests.PowerLoss;

/// <summary>
/// The published agent (dce-agent.dll beside the tests) as its own process on one data directory,
/// in demo mode (embedded broker and receiver), optionally under the write-log shim.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    /// <summary>The stage workers are up: the catalog is open and reconciled before any of them starts.</summary>
    public const string StartedLine = "[100] Frame source";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AgentProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the demo on <paramref name="dataDirectory"/> for <paramref name="seconds"/>; <paramref name="environment"/> adds to the process's.</summary>
    public static AgentProcess Start(string dataDirectory, int seconds, IReadOnlyDictionary<string, string> environment) =>
        Start(["demo", "--duration", $"{seconds}", "--data", dataDirectory, "--out", dataDirectory + ".received"], environment);

    /// <summary>Starts the agent with <paramref name="args"/>; <paramref name="environment"/> adds to the process's.</summary>
    public static AgentProcess Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dce-agent.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The clip reports are Information; the demo's own default shows only warnings.
        start.Environment["DCE_Logging__LogLevel__DataCentric"] = "Information";
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new AgentProcess(Process.Start(start)!);
    }

    /// <summary>Waits until the agent has started, or has exited; false when it exited first.</summary>
    public async Task<bool> WaitStartedAsync(CancellationToken ct)
    {
        var exited = _process.WaitForExitAsync(ct);
        var first = await Task.WhenAny(_started.Task, exited).WaitAsync(Deadline, ct);
        return first == _started.Task;
    }

    /// <summary>SIGTERM, as systemd stops it, then its exit code.</summary>
    public async Task<int> StopAsync(CancellationToken ct)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", $"{_process.Id}"]);
            await kill.WaitForExitAsync(ct);
        }

        return await WaitForExitAsync(ct);
    }

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct).WaitAsync(Deadline, ct);

        // The redirected streams are drained only after the process's own exit.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: nothing of the agent's own code runs after it.</summary>
    public void Kill() => _process.Kill();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>Compiles writelog.c with gcc into <paramref name="folder"/>; the library's path.</summary>
    public static async Task<string> CompileShimAsync(string folder, CancellationToken ct)
    {
        var source = RepositoryFiles.Path("tests", "DataCentric.Edge.Agent.Tests", "PowerLoss", "writelog.c");
        var library = Path.Combine(folder, "writelog.so");
        var start = new ProcessStartInfo("gcc") { RedirectStandardError = true };
        foreach (var arg in new[] { "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", library, source, "-ldl", "-lpthread" })
        {
            start.ArgumentList.Add(arg);
        }

        Process gcc;
        try
        {
            gcc = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The power-loss test compiles its write-log shim with gcc (apt-get install gcc libc6-dev): " + e.Message, e);
        }

        using (gcc)
        {
            var errors = await gcc.StandardError.ReadToEndAsync(ct);
            await gcc.WaitForExitAsync(ct);
            Assert.True(gcc.ExitCode == 0, $"gcc could not build {source}:\n{errors}");
        }

        return library;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains(StartedLine, StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }
}
