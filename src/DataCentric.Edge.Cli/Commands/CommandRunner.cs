using MQTTnet.Exceptions;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>Turns expected failures into one clear line and an exit code, never a stack trace.</summary>
internal static class CommandRunner
{
    public const int Failed = 1;

    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"edgectl: {e.Message}").ConfigureAwait(false);
            return EdgectlApp.UsageError;
        }
        catch (Exception e) when (e is MqttCommunicationException or TimeoutException or IOException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException or InvalidOperationException or FleetApiException)
        {
            await error.WriteLineAsync($"edgectl: {e.Message}").ConfigureAwait(false);
            return Failed;
        }
    }
}
