using System.CommandLine;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>The options of commands that ask the fleet service's HTTP API (dce-fleet) rather than a device.</summary>
internal sealed class FleetApiConnection
{
    /// <param name="apiFromEnvironment">
    /// Whether <c>--api</c> defaults to DCE_FLEET_API. Commands that also talk MQTT (clips ls) take the
    /// API only when <c>--api</c> is given, so setting the variable does not change what they do.
    /// </param>
    public FleetApiConnection(bool apiFromEnvironment = true)
    {
        Api = new Option<string?>("--api")
        {
            Description = apiFromEnvironment ? "Fleet API base URL, e.g. http://127.0.0.1:8480 (env DCE_FLEET_API)" : "Ask the fleet API at this URL instead of the device",
            DefaultValueFactory = _ => apiFromEnvironment && Environment.GetEnvironmentVariable("DCE_FLEET_API") is { Length: > 0 } url ? url : null,
        };
    }

    public Option<string?> Api { get; }

    public Option<FileInfo?> TokenFile { get; } = new("--token-file")
    {
        Description = "File holding the API token (env DCE_FLEET_TOKEN_FILE)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DCE_FLEET_TOKEN_FILE") is { Length: > 0 } path ? new FileInfo(path) : null,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Api);
        command.Options.Add(TokenFile);
    }

    /// <exception cref="UsageException">No API URL, or no readable token file.</exception>
    public FleetApiClient Connect(ParseResult parse)
    {
        var text = parse.GetValue(Api) ?? throw new UsageException("no fleet API: pass --api URL or set DCE_FLEET_API");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--api '{text}' is not an http(s) URL (e.g. http://127.0.0.1:8480)");
        }

        var tokenFile = parse.GetValue(TokenFile) ?? throw new UsageException("no token for the fleet API: pass --token-file PATH or set DCE_FLEET_TOKEN_FILE");
        if (!tokenFile.Exists)
        {
            throw new UsageException($"token file {tokenFile.FullName} does not exist");
        }

        var token = File.ReadAllText(tokenFile.FullName).Trim();
        return token.Length == 0 ? throw new UsageException($"token file {tokenFile.FullName} is empty") : new FleetApiClient(api, token, tokenFile.FullName);
    }
}
