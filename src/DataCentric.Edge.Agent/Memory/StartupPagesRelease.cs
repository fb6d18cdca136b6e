using DataCentric.Edge.Agent.Pipeline;
using DataCentric.Edge.Core.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.Agent.Memory;

/// <summary>
/// Once the first frame has gone through the shadow model, drops the start-up pages of the agent's
/// own code files (<see cref="StartupPages"/>): on a board they are most of the resident code.
/// </summary>
internal sealed partial class StartupPagesRelease(AgentMetrics metrics, IOptions<AgentOptions> options, ILogger<StartupPagesRelease> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReleaseStartupPages || !OperatingSystem.IsLinux())
        {
            return;
        }

        await metrics.FirstFrameInferred.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            var released = StartupPages.Release(AppContext.BaseDirectory);
            LogReleased(released.ResidentBytes / (1024.0 * 1024.0), released.Mappings, AppContext.BaseDirectory);
            if (released.FirstRefusal is { } refusal)
            {
                LogRefused(released.Refused, refusal);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            // Only memory is at stake: the agent goes on with the pages it has.
            LogFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "After start-up: released {MiB:0.0} MiB of resident code pages from {Mappings} mappings in {Directory}; they stay in the page cache and fault back in when used")]
    private partial void LogReleased(double miB, int mappings, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "madvise refused {Refused} mappings, which keep their pages; the first: {Refusal}")]
    private partial void LogRefused(int refused, string refusal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start-up pages not released (they stay resident): {Reason}")]
    private partial void LogFailed(string reason);
}
