using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>Checked at start (ValidateOnStart): every problem of the section at once, with its key. No <c>Broker</c> is valid: the link is off.</summary>
internal sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = OperatorOptions.SectionName;
        if (options.Broker is not { } broker)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId) || options.ClientId.IndexOfAny(['/', '+', '#']) >= 0)
        {
            errors.Add($"{S}:ClientId: required, without '/', '+' or '#' (it is a topic level of the reply topics).");
        }

        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{S}:CommandTimeout: must be positive.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay)
        {
            errors.Add($"{S}:RetryDelay: must be positive and at most MaxRetryDelay.");
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add($"{S}:MaxAttempts: {options.MaxAttempts} must be at least 1.");
        }

        if (options.QueueCapacity < 1)
        {
            errors.Add($"{S}:QueueCapacity: {options.QueueCapacity} must be at least 1.");
        }

        if (options.Concurrency is < 1 or > 64)
        {
            errors.Add($"{S}:Concurrency: {options.Concurrency} must be 1 to 64.");
        }

        if (options.MaxClipsPerPull is < 1 or > 10_000)
        {
            errors.Add($"{S}:MaxClipsPerPull: {options.MaxClipsPerPull} must be 1 to 10000.");
        }

        if (string.IsNullOrWhiteSpace(broker.Host))
        {
            errors.Add($"{S}:Broker:Host: required.");
        }

        if (broker.Port is < 1 or > 65535)
        {
            errors.Add($"{S}:Broker:Port: {broker.Port} is not a TCP port (1-65535).");
        }

        if (broker.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{S}:Broker:ConnectTimeout: must be positive (a hung broker must not hold the connect for ever).");
        }

        if ((broker.ClientCertificatePath is null) != (broker.ClientKeyPath is null))
        {
            errors.Add($"{S}:Broker: give both ClientCertificatePath and ClientKeyPath (the dce-operator certificate and its key) or neither.");
        }

        if (!broker.UseTls && broker.ClientCertificatePath is not null)
        {
            errors.Add($"{S}:Broker:UseTls: a client certificate needs TLS (set UseTls true).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
