using System.Diagnostics;

namespace DataCentric.Edge.TestKit.Processes;

/// <summary>An app built beside the tests (dce-agent.dll, edgectl.dll) run to its end as its own process, as an operator runs it.</summary>
public static class DotnetApp
{
    /// <summary>Runs <c>dotnet APP ARGS</c> and returns its exit code and both streams.</summary>
    /// <param name="app">The app's file name in the test's output folder.</param>
    /// <param name="environment">Added to this process's environment; a null value removes the variable.</param>
    /// <param name="timeout">How long it may run; past it the wait is cancelled.</param>
    /// <param name="workingDirectory">Where it runs; null for this process's own folder.</param>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(
        string app, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, CancellationToken ct, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, app));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }
}
