using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// The configuration a device runs with, layered as the agent layers it (<c>AgentHost.BuildConfiguration</c>):
/// the agent's defaults (appsettings.json, which ships beside edgectl as beside the agent), the demo's
/// (appsettings.Demo.json) for the demo, then the device's own file (<c>dce-agent --config</c>, on a
/// board /etc/dce-agent/agent.json). The device's <c>DCE_</c> environment is not known here.
/// </summary>
internal static class AgentConfigFile
{
    public const string Defaults = "appsettings.json";
    public const string DemoDefaults = "appsettings.Demo.json";

    /// <param name="deviceFile">The device's file, or null for the defaults alone (the demo).</param>
    /// <param name="demo">Layer the demo's defaults too.</param>
    /// <param name="positions">Where the keys of <paramref name="deviceFile"/> are, for errors; null without a file.</param>
    /// <exception cref="UsageException">The file is missing or is not JSON (with its line and column).</exception>
    public static IConfigurationRoot Load(string? deviceFile, bool demo, out JsonKeyPositions? positions)
    {
        positions = deviceFile is null ? null : Read(deviceFile);
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, Defaults), optional: true, reloadOnChange: false);
        if (demo)
        {
            builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, DemoDefaults), optional: false, reloadOnChange: false);
        }

        if (deviceFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(deviceFile), optional: false, reloadOnChange: false);
        }

        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            // JSON that parses but is not a configuration, e.g. a key given twice.
            throw new UsageException($"{deviceFile}: {e.Message} {e.GetBaseException().Message}".TrimEnd(), e);
        }
    }

    /// <exception cref="UsageException">The file is missing or is not JSON.</exception>
    public static JsonKeyPositions Read(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"{Path.GetFullPath(file)}: no such file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{Path.GetFullPath(file)}: {e.Message}", e);
        }

        try
        {
            return JsonKeyPositions.Read(bytes);
        }
        catch (JsonFileException e)
        {
            throw new UsageException($"{Path.GetFullPath(file)}:{e.Line}:{e.Column}: not valid JSON: {e.Message}", e);
        }
    }
}
