using System.Diagnostics;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// The repository and its linux-x64 publish (tools/test.sh publishes it before the tests; when it is
/// missing, e.g. a bare <c>dotnet test</c>, this publishes it once, which takes one to two minutes: it is compiled to native code).
/// </summary>
public sealed class PublishedAgent
{
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
                var (exit, output) = await RunAsync("bash", [Path.Combine(RepositoryRoot, "tools", "publish.sh"), "linux-x64"], null, cancellationToken);
                Assert.True(exit == 0, $"tools/publish.sh linux-x64 failed:\n{output}");
            }

            return Directory;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs a command to completion; returns its exit code and its stdout and stderr together.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? environment, CancellationToken cancellationToken)
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

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

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
