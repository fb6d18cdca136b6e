using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>Reads the tokens and the link key at start (a bad token file stops the start, not the first request) and says what is in force.</summary>
internal sealed class FleetApiStartup(ApiTokens tokens, ClipLinkSigner signer, IOptions<ApiOptions> options, ILogger<FleetApiStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = signer;
        if (tokens.Count == 0)
        {
            FleetApiLog.NoTokens(logger);
        }

        FleetApiLog.Ready(logger, tokens.Count, string.Join(' ', options.Value.EffectiveOrigins()), options.Value.LinkValidFor);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
