using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole;

/// <summary>Checked at start: every problem of the section at once, naming the key.</summary>
internal sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public const long MaxViewedClipLimit = 1L << 30;

    public ValidateOptionsResult Validate(string? name, ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = ConsoleOptions.SectionName;
        var errors = new List<string>();
        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.HeartbeatInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{S}:HeartbeatInterval: {options.HeartbeatInterval} is outside 00:00:00.1 to 00:10:00.");
        }

        if (options.ClientQueueCapacity is < 1 or > 10_000)
        {
            errors.Add($"{S}:ClientQueueCapacity: {options.ClientQueueCapacity} is outside 1 to 10000.");
        }

        if (options.MaxClients is < 1 or > 100_000)
        {
            errors.Add($"{S}:MaxClients: {options.MaxClients} is outside 1 to 100000.");
        }

        if (options.PullPollInterval < TimeSpan.FromMilliseconds(100) || options.PullPollInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{S}:PullPollInterval: {options.PullPollInterval} is outside 00:00:00.1 to 00:01:00.");
        }

        // A viewed clip is decoded in memory: one buffer, so at most 1 GiB.
        if (options.MaxViewedClipBytes is < 1 or > MaxViewedClipLimit)
        {
            errors.Add($"{S}:MaxViewedClipBytes: {options.MaxViewedClipBytes} is outside 1 to {MaxViewedClipLimit} (1 GiB).");
        }

        if (options.ClipCacheBytes < options.MaxViewedClipBytes)
        {
            errors.Add($"{S}:ClipCacheBytes: {options.ClipCacheBytes} is below {S}:MaxViewedClipBytes ({options.MaxViewedClipBytes}); one viewed clip must fit.");
        }

        if (string.IsNullOrWhiteSpace(options.FfmpegPath))
        {
            errors.Add($"{S}:FfmpegPath: is empty; name the ffmpeg executable (default 'ffmpeg' on PATH).");
        }

        if (options.MaxMp4Encodes is < 1 or > 64)
        {
            errors.Add($"{S}:MaxMp4Encodes: {options.MaxMp4Encodes} is outside 1 to 64.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
