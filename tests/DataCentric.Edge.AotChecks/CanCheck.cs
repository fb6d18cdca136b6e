using DataCentric.Edge.Device.Sources.Controller;

namespace DataCentric.Edge.AotChecks;

/// <summary>
/// A SocketCAN open through Iot.Device.SocketCan (socket, ifreq and sockaddr_can marshalling) on an
/// interface that does not exist: refused with the reader's own error, not a marshalling failure.
/// </summary>
internal static class CanCheck
{
    public static Task<string?> MissingInterfaceAsync()
    {
        const string name = "dcecan9";
        try
        {
            using var reader = new SocketCanFrameReader(name);
        }
        catch (IOException e)
        {
            Check.That(e.Message.StartsWith($"SocketCAN interface '{name}' cannot be opened", StringComparison.Ordinal), $"unexpected refusal: {e.Message}");
            return Task.FromResult<string?>(null);
        }

        throw new CheckFailedException($"SocketCAN interface '{name}' does not exist, yet it opened");
    }
}
