using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DataCentric.Edge.TestKit.Fleet;

/// <summary>
/// The PostgreSQL server programs (Debian's <c>postgresql</c> package: initdb, pg_ctl, createdb in
/// /usr/lib/postgresql/{version}/bin), and running them as an unprivileged user: PostgreSQL refuses
/// to run as root, so as root they run through <c>runuser -u postgres</c>.
/// </summary>
public static class PostgresBinaries
{
    /// <summary>The user the server runs as when the tests run as root (Debian's package creates it).</summary>
    public const string ServerUser = "postgres";

    private static readonly Lazy<string> Directory = new(Find);

    /// <summary>Where initdb and pg_ctl are; throws, naming the package, when the server is not installed.</summary>
    public static string BinDirectory => Directory.Value;

    /// <summary>Whether the server programs must run as <see cref="ServerUser"/> (the tests run as root).</summary>
    public static bool RunAsServerUser => Environment.IsPrivilegedProcess;

    /// <summary>Runs a server program (as <see cref="ServerUser"/> when root) and returns its output; throws with it on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(BinDirectory, program);
        // As the server's user, from "/": the test's working directory (the checkout) may be closed to it.
        var start = RunAsServerUser
            ? new ProcessStartInfo("runuser", ["-u", ServerUser, "--", path, .. arguments]) { WorkingDirectory = "/" }
            : new ProcessStartInfo(path, arguments);
        return await RunAsync(start, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs any program as the current user; throws with its output on a non-zero exit.</summary>
    public static async Task<string> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var text = Text(output);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"{start.FileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:{Environment.NewLine}{text}"));
        }

        return text;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Find()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The PostgreSQL fixture runs on Linux (tools/test.sh installs the postgresql package there).");
        }

        // Debian keeps the server programs off PATH, one folder per major version: take the newest.
        var debian = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        var found = debian.Concat(PgConfigBinDirectory()).Concat(onPath)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (found is null)
        {
            throw new InvalidOperationException(
                "The PostgreSQL server is not installed (no initdb and pg_ctl in /usr/lib/postgresql/*/bin, in `pg_config --bindir` or on PATH; " +
                "psql alone is only the client). Install Debian's package: apt-get install postgresql (tools/test.sh does).");
        }

        if (RunAsServerUser && !File.ReadLines("/etc/passwd").Any(l => l.StartsWith(ServerUser + ":", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                $"The tests run as root, and PostgreSQL refuses root, but there is no '{ServerUser}' user to run it as: apt-get install postgresql creates it.");
        }

        return found;
    }

    private static IEnumerable<string> PgConfigBinDirectory()
    {
        string? dir = null;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", ["--bindir"]) { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is not null)
            {
                dir = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config (libpq-dev or the server package brings it): look elsewhere.
        }

        return string.IsNullOrEmpty(dir) ? [] : [dir];
    }
}
