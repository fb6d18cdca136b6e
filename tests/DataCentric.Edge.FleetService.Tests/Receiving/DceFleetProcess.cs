using System.Diagnostics;

namespace DataCentric.Edge.FleetService.Tests.Receiving;

/// <summary>
/// A real <c>dce-fleet</c> process (the build output beside the tests), configured by command-line
/// keys, for what only a process can show: SIGKILL mid-clip, a restart with the same identity.
/// </summary>
internal sealed class DceFleetProcess : IAsyncDisposable
{
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _receiving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Process _process;

    private DceFleetProcess(IEnumerable<string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dce-fleet.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _receiving.TrySetException(new InvalidOperationException($"dce-fleet exited ({_process.ExitCode}):{Environment.NewLine}{Output}"));
    }

    /// <summary>Everything the process printed so far, for failure messages.</summary>
    public string Output => LastLines(int.MaxValue);

    /// <summary>The last <paramref name="count"/> lines the process printed.</summary>
    public string LastLines(int count)
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines.Skip(Math.Max(0, _lines.Count - count)));
        }
    }

    /// <summary>
    /// Called from a test class's Dispose: when the test failed, its output ends with the process's last lines, since
    /// the cause (an exception behind a 500, a refused connection) is often only in the child's log.
    /// </summary>
    public void ReportIfTestFailed(int count = 80)
    {
        if (TestContext.Current is { TestState.Result: TestResult.Failed, TestOutputHelper: { } output })
        {
            output.WriteLine($"--- dce-fleet (pid {_process.Id}), its last {count} lines ---");
            output.WriteLine(LastLines(count));
        }
    }

    /// <summary>Starts dce-fleet and waits until its clip receiver has subscribed.</summary>
    public static async Task<DceFleetProcess> StartAsync(IEnumerable<string> settings, CancellationToken cancellationToken)
    {
        var process = new DceFleetProcess(settings);
        process._process.Start();
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        try
        {
            await process._receiving.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException e)
        {
            await process.DisposeAsync();
            throw new TimeoutException($"dce-fleet did not subscribe within 60 s:{Environment.NewLine}{process.Output}", e);
        }

        return process;
    }

    /// <summary>SIGKILL: no shutdown, no disconnect, leases and unacknowledged messages left behind.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();

            // The wait includes the end of its redirected output: bounded, so a pipe held open says so instead of hanging the run.
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"dce-fleet (pid {_process.Id}) killed, but its exit or the end of its output not seen within 30 s (exited: {_process.HasExited})", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.Contains("Clip receiver connected", StringComparison.Ordinal))
        {
            _receiving.TrySetResult();
        }
    }
}
