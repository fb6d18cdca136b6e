using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace DataCentric.Edge.Core.Tests.Recording.Mcap;

/// <summary>
/// Runs tools/mcap-check (Foxglove's reference TypeScript MCAP reader) on files. Installs its
/// node_modules once with <c>npm ci</c> when they are missing. Without Node.js the tests fail
/// with a message that says so: an outside check that silently passes would prove nothing.
/// </summary>
public sealed class McapCheckFixture : IDisposable
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(3);
    // One install per test process: two fixtures running npm ci in one folder at once break each other.
    private static readonly Lazy<string> CheckDirectory = new(Prepare);

    public string TempDirectory { get; } = Directory.CreateTempSubdirectory("mcap-check-").FullName;

    /// <summary>Runs <c>node check.mjs file</c> and returns its JSON report (ok or not).</summary>
    public JsonElement Check(string file)
    {
        var directory = CheckDirectory.Value;
        var (exitCode, stdout, stderr) = Run("node", directory, Path.Combine(directory, "check.mjs"), file);
        if (string.IsNullOrWhiteSpace(stdout))
        {
            throw new InvalidOperationException($"node check.mjs printed nothing (exit code {exitCode}): {stderr}");
        }

        using var document = JsonDocument.Parse(stdout);
        var report = document.RootElement.Clone();
        var ok = report.GetProperty("ok").GetBoolean();
        if (ok != (exitCode == 0))
        {
            throw new InvalidOperationException($"node check.mjs exit code {exitCode} disagrees with its report: {stdout}");
        }

        return report;
    }

    public void Dispose() => Directory.Delete(TempDirectory, recursive: true);

    private static string Prepare()
    {
        var directory = Path.Combine(RepositoryRoot(), "tools", "mcap-check");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "@mcap", "core")))
        {
            var (exitCode, stdout, stderr) = Run("npm", directory, "ci", "--no-audit", "--no-fund", "--prefix", directory);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {directory} failed with exit code {exitCode}: {stderr}{stdout}");
            }
        }

        return directory;
    }

    private static string RepositoryRoot()
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

    private static (int ExitCode, string Stdout, string Stderr) Run(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{program}' was not found on PATH. The MCAP outside check needs Node.js and npm (tools/mcap-check); install them (the test script does) instead of skipping this test.",
                e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProcessTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} did not finish within {ProcessTimeout}.");
            }

            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }
}
