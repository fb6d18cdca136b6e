using DataCentric.Edge.Uplink.Broker;

namespace DataCentric.Edge.FleetService.Messaging;

/// <summary>The start-time checks every section that configures a <see cref="DurableSubscriber"/> makes, each error with its key.</summary>
internal static class DurableSubscriberChecks
{
    public static void Check(string section, string? clientId, string? sharedGroup, TimeSpan checkInterval, ushort receiveMaximum, UplinkOptions? broker, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            errors.Add($"{section}:ClientId: required (a stable id keeps the persistent session).");
        }

        if (string.IsNullOrWhiteSpace(sharedGroup) || sharedGroup.IndexOfAny(['/', '+', '#']) >= 0)
        {
            errors.Add($"{section}:SharedGroup: required, without '/', '+' or '#' (it is a topic level of $share/{{group}}/...).");
        }

        if (checkInterval <= TimeSpan.Zero)
        {
            errors.Add($"{section}:CheckInterval: must be positive.");
        }

        if (receiveMaximum == 0)
        {
            errors.Add($"{section}:ReceiveMaximum: must be 1 to 65535 (unacknowledged messages in flight).");
        }

        if (broker is null)
        {
            errors.Add($"{section}:Broker: required.");
            return;
        }

        if (string.IsNullOrWhiteSpace(broker.Host))
        {
            errors.Add($"{section}:Broker:Host: required.");
        }

        if (broker.Port is < 1 or > 65535)
        {
            errors.Add($"{section}:Broker:Port: {broker.Port} is not a TCP port (1-65535).");
        }

        if (broker.ReconnectDelay <= TimeSpan.Zero || broker.MaxReconnectDelay < broker.ReconnectDelay)
        {
            errors.Add($"{section}:Broker:ReconnectDelay: must be positive and at most MaxReconnectDelay.");
        }

        if (broker.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{section}:Broker:ConnectTimeout: must be positive (a hung broker must not hold the connect for ever).");
        }

        if (broker.SessionExpiry <= TimeSpan.Zero || broker.SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            errors.Add($"{section}:Broker:SessionExpiry: must be positive (a persistent session keeps what was not acknowledged).");
        }
    }
}
