using System.Diagnostics;
using System.Reflection;
using System.Runtime.Versioning;

namespace DataCentric.Edge.Agent.Demo.FleetConsole;

/// <summary>How to start dce-fleet: a program and the arguments that come before its settings.</summary>
internal sealed record FleetServiceCommand(string FileName, IReadOnlyList<string> Arguments, string Origin);

/// <summary>
/// Finds dce-fleet for <c>demo --console</c> without the agent referencing it (the agent stays small and
/// Native AOT): beside the agent's own files (a build output that holds both, or an install), else built
/// from the repository the demo runs in, in the agent's own configuration, so a fresh clone needs nothing more.
/// </summary>
internal static class FleetServiceLocator
{
    /// <summary>The fleet service's project, relative to the repository root.</summary>
    public static readonly string ProjectPath = Path.Combine("src", "DataCentric.Edge.FleetService", "DataCentric.Edge.FleetService.csproj");

    private const string AssemblyName = "dce-fleet";

    public static async Task<FleetServiceCommand> LocateAsync(Action<string> say, CancellationToken cancellationToken)
    {
        var besideAssembly = Path.Combine(AppContext.BaseDirectory, AssemblyName + ".dll");
        if (File.Exists(besideAssembly))
        {
            return new FleetServiceCommand(DotnetHost(), [besideAssembly], besideAssembly);
        }

        var besideExecutable = Path.Combine(AppContext.BaseDirectory, AssemblyName);
        if (File.Exists(besideExecutable))
        {
            return new FleetServiceCommand(besideExecutable, [], besideExecutable);
        }

        var project = FindProject(Environment.CurrentDirectory) ?? FindProject(AppContext.BaseDirectory)
            ?? throw new DemoConsoleException(
                $"dce-fleet is neither beside the agent ({AppContext.BaseDirectory}) nor in a checkout above the current directory ({ProjectPath}); run the demo from the repository");
        var configuration = typeof(FleetServiceLocator).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } c ? c : "Release";
        say($"building {project} ({configuration}) ...");
        await BuildAsync(project, configuration, cancellationToken).ConfigureAwait(false);
        var framework = new FrameworkName(AppContext.TargetFrameworkName ?? ".NETCoreApp,Version=v10.0").Version;
        var assembly = Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration, $"net{framework.Major}.{framework.Minor}", AssemblyName + ".dll");
        return File.Exists(assembly)
            ? new FleetServiceCommand(DotnetHost(), [assembly], assembly)
            : throw new DemoConsoleException($"the build of {project} succeeded but {assembly} is not there");
    }

    /// <summary>The repository's fleet service project in <paramref name="start"/> or a folder above it.</summary>
    internal static string? FindProject(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ProjectPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task BuildAsync(string project, string configuration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "build", project, "-c", configuration, "-nologo", "-v", "quiet" })
        {
            start.ArgumentList.Add(argument);
        }

        using var build = Process.Start(start) ?? throw new DemoConsoleException("could not start 'dotnet build'");
        var output = build.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = build.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await build.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            build.Kill(entireProcessTree: true);
            throw;
        }

        if (build.ExitCode != 0)
        {
            throw new DemoConsoleException($"'dotnet build {project}' failed ({build.ExitCode}):{Environment.NewLine}{await output.ConfigureAwait(false)}{await errors.ConfigureAwait(false)}");
        }
    }

    /// <summary>The dotnet host that runs this agent (or the one the SDK names), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
