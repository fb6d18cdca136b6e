using DataCentric.Edge.FleetService.Messaging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Tracking;

/// <summary>Checked at start (ValidateOnStart): every problem of the section at once, with its key.</summary>
internal sealed class TrackerOptionsValidator : IValidateOptions<TrackerOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        DurableSubscriberChecks.Check(TrackerOptions.SectionName, options.ClientId, options.SharedGroup, options.CheckInterval, options.ReceiveMaximum, options.Broker, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
