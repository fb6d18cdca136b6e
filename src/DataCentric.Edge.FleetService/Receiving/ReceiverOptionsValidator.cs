using DataCentric.Edge.FleetService.Messaging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Receiving;

/// <summary>Checked at start (ValidateOnStart): every problem of the section at once, with its key.</summary>
internal sealed class ReceiverOptionsValidator : IValidateOptions<ReceiverOptions>
{
    public ValidateOptionsResult Validate(string? name, ReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = ReceiverOptions.SectionName;
        var errors = new List<string>();
        DurableSubscriberChecks.Check(S, options.ClientId, options.SharedGroup, options.CheckInterval, options.ReceiveMaximum, options.Broker, errors);
        if (options.MaxChunkBytes is < 1024 or > 256 * 1024 * 1024)
        {
            errors.Add($"{S}:MaxChunkBytes: {options.MaxChunkBytes} is outside 1024 to 268435456 bytes.");
        }

        if (options.ConcurrentStaging < 1 || options.ConcurrentStaging > options.ReceiveMaximum)
        {
            errors.Add($"{S}:ConcurrentStaging: {options.ConcurrentStaging} is outside 1 to ReceiveMaximum ({options.ReceiveMaximum}).");
        }

        Positive(options.LeaseDuration, "LeaseDuration", errors);
        Positive(options.SweepInterval, "SweepInterval", errors);
        if (options.AbandonAfter <= options.LeaseDuration)
        {
            errors.Add($"{S}:AbandonAfter: must be longer than LeaseDuration ({options.LeaseDuration}), or a clip being assembled could be removed.");
        }

        if (options.AssemblyConcurrency is < 1 or > 64)
        {
            errors.Add($"{S}:AssemblyConcurrency: {options.AssemblyConcurrency} is outside 1 to 64.");
        }

        if (options.AssemblyQueueLength is < 1 or > 100_000)
        {
            errors.Add($"{S}:AssemblyQueueLength: {options.AssemblyQueueLength} is outside 1 to 100000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        static void Positive(TimeSpan value, string key, List<string> errors)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{S}:{key}: must be positive.");
            }
        }
    }
}
