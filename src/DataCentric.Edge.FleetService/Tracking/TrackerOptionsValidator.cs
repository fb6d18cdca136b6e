using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Tracking;

/// <summary>Checked at start (ValidateOnStart): every problem of the section at once, with its key.</summary>
internal sealed class TrackerOptionsValidator : IValidateOptions<TrackerOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = TrackerOptions.SectionName;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add($"{S}:ClientId: required (a stable id keeps the tracker's persistent session).");
        }

        if (string.IsNullOrWhiteSpace(options.SharedGroup) || options.SharedGroup.IndexOfAny(['/', '+', '#']) >= 0)
        {
            errors.Add($"{S}:SharedGroup: required, without '/', '+' or '#' (it is a topic level of $share/{{group}}/...).");
        }

        if (options.CheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{S}:CheckInterval: must be positive.");
        }

        var broker = options.Broker;
        if (broker is null)
        {
            errors.Add($"{S}:Broker: required.");
            return ValidateOptionsResult.Fail(errors);
        }

        if (string.IsNullOrWhiteSpace(broker.Host))
        {
            errors.Add($"{S}:Broker:Host: required.");
        }

        if (broker.Port is < 1 or > 65535)
        {
            errors.Add($"{S}:Broker:Port: {broker.Port} is not a TCP port (1-65535).");
        }

        if (broker.ReconnectDelay <= TimeSpan.Zero || broker.MaxReconnectDelay < broker.ReconnectDelay)
        {
            errors.Add($"{S}:Broker:ReconnectDelay: must be positive and at most MaxReconnectDelay.");
        }

        if (broker.SessionExpiry <= TimeSpan.Zero || broker.SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            errors.Add($"{S}:Broker:SessionExpiry: must be positive (the tracker keeps a persistent session).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
