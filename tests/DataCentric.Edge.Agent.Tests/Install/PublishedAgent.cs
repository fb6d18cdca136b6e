using System.Diagnostics;
using System.Text;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// The repository and its linux-x64 publish (tools/test.sh publishes it before the tests; when it is
/// missing, e.g. a bare <c>dotnet test</c>, this publishes it once, which takes one to two minutes: it is compiled to native code).
/// </summary>
public sealed class PublishedAgent
{
    /// <summary>How long <see cref="RunAsync(string, IEnumerable{string}, IDictionary{string, string}?, CancellationToken)"/> waits for a command.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The Native AOT publish takes one to two minutes on a quiet machine; a busy CI runner is slower.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Directory => Path.Combine(RepositoryRoot, "artifacts", "publish", "linux-x64");

    public static async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(Path.Combine(Directory, "dce-agent")))
            {
                var (exit, output) = await RunAsync("bash", [Path.Combine(RepositoryRoot, "tools", "publish.sh"), "linux-x64"], null, PublishTimeout, cancellationToken);
                Assert.True(exit == 0, $"tools/publish.sh linux-x64 failed:\n{output}");
            }

            return Directory;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs a command to completion within <see cref="DefaultTimeout"/>; returns its exit code and its stdout and stderr together.</summary>
    public static Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? environment, CancellationToken cancellationToken) =>
        RunAsync(file, args, environment, DefaultTimeout, cancellationToken);

    /// <summary>
    /// Runs a command to completion; returns its exit code and its stdout and stderr together. A
    /// command still running after <paramref name="timeout"/> (an agent that took a bad config and
    /// runs on, say) or when the test is cancelled is killed with its process tree, and the test fails
    /// with the command and what it printed so far.
    /// </summary>
    public static async Task<(int Exit, string Output)> RunAsync(
        string file, IEnumerable<string> args, IDictionary<string, string>? environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Returns once the process has exited and both streams are read to their end.
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        catch (TimeoutException e)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{Describe(start)} did not exit within {timeout.TotalSeconds:0} s; killed it and its child processes. Its output so far:{Environment.NewLine}{Read(stdout)}{Read(stderr)}",
                e);
        }

        return (process.ExitCode, Read(stdout) + Read(stderr));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.Append(line).Append('\n');
            }
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Describe(ProcessStartInfo start) =>
        $"`{string.Join(' ', new[] { start.FileName }.Concat(start.ArgumentList))}`";

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DataCentric.Edge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No DataCentric.Edge.sln above {AppContext.BaseDirectory}.");
    }
}
