using System.Diagnostics;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.FleetService.Tests.Install;

/// <summary>
/// firmware-config/fleet/dce-fleet.service passes systemd's own checks, as the agent's units do
/// (Agent.Tests/Install/InstallTests): <c>systemd-analyze verify</c> clean, and an exposure score
/// of at most 4.5 from <c>systemd-analyze security</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FleetUnitTests
{
    private const string InstalledExecutable = "/opt/dce-fleet/dce-fleet";

    [Fact]
    public async Task Unit_PassesSystemdVerify_AndIsHardened()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("dce-fleet-unit");
        var unit = await File.ReadAllTextAsync(UnitPath, ct);
        var staged = await StageAsync(dir, unit, ct);

        var (exit, output) = await RunAsync("systemd-analyze", ["verify", staged], ct);

        Assert.True(exit == 0 && output.Trim().Length == 0, $"systemd-analyze verify:\n{output}");
        // systemd's exposure score (0 safest, 10 worst): 3.1 when written; fails above 4.5, like the agent's.
        var (overExposed, security) = await RunAsync("systemd-analyze", ["security", "--offline=yes", "--threshold=45", staged], ct);
        Assert.True(overExposed == 0, $"systemd-analyze security:\n{security}");
        Assert.Contains("User=dce-fleet", unit, StringComparison.Ordinal);
        Assert.Contains("StateDirectory=dce-fleet", unit, StringComparison.Ordinal);
        Assert.Contains("WorkingDirectory=/etc/dce-fleet", unit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemdVerifier_CatchesAMistypedDirective()
    {
        // Guards the test above: the verifier really reports what a unit gets wrong.
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("dce-fleet-unit");
        var unit = (await File.ReadAllTextAsync(UnitPath, ct)).Replace("MemoryMax=", "MemoryMaks=", StringComparison.Ordinal);
        var staged = await StageAsync(dir, unit, ct);

        var (_, output) = await RunAsync("systemd-analyze", ["verify", staged], ct);

        Assert.Contains("Unknown key 'MemoryMaks'", output, StringComparison.Ordinal);
    }

    private static string UnitPath => RepositoryFiles.Path("firmware-config", "fleet", "dce-fleet.service");

    /// <summary>The verifier wants the unit's executable to exist: point the unit at one that does.</summary>
    private static async Task<string> StageAsync(TempDirectory dir, string unit, CancellationToken ct)
    {
        Assert.Contains(InstalledExecutable, unit, StringComparison.Ordinal);
        var staged = dir.Combine("dce-fleet.service");
        await File.WriteAllTextAsync(staged, unit.Replace(InstalledExecutable, "/bin/true", StringComparison.Ordinal), ct);
        return staged;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
