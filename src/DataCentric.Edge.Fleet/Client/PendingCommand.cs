using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Fleet.Client;

/// <summary>
/// A command the broker has accepted and the device has still to answer. Disposing it stops
/// listening for the answer, so an abandoned request leaves nothing behind in the client.
/// </summary>
public sealed class PendingCommand : IDisposable
{
    private readonly FleetClient _client;
    private readonly string _device;
    private readonly string? _command;

    internal PendingCommand(FleetClient client, string key, string device, string? command)
    {
        _client = client;
        Key = key;
        _device = device;
        _command = command;
    }

    internal string Key { get; }

    internal TaskCompletionSource<CommandReply> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The device's answer.</summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/> (device offline, or not allowed to answer).</exception>
    public async Task<CommandReply> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no answer from {_device} to '{_command}' within {timeout.TotalSeconds:0.#} s (offline?)");
        }
    }

    public void Dispose() => _client.Forget(Key);
}
