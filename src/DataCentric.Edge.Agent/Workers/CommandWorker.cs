using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.Commands;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Agent.Workers;

/// <summary>
/// Reports the engineers' commands the device answers (<see cref="DeviceCommands"/>, which listens
/// on the device's MQTT session kept up by the upload worker). Constructing it takes the subscription.
/// </summary>
internal sealed partial class CommandWorker(DeviceCommands commands, ILogger<CommandWorker> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        commands.Answered += OnAnswered;
        commands.Dropped += OnDropped;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        commands.Answered -= OnAnswered;
        commands.Dropped -= OnDropped;
        return Task.CompletedTask;
    }

    private void OnAnswered(CommandReply reply)
    {
        if (reply.Ok)
        {
            LogAnswered(reply.Command);
        }
        else
        {
            LogRefused(reply.Command, reply.Error);
        }
    }

    private void OnDropped(string reason) => LogDropped(reason);

    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Command {Command} answered")]
    private partial void LogAnswered(string command);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "Command {Command} refused: {Error}")]
    private partial void LogRefused(string command, string? error);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Command dropped: {Reason}")]
    private partial void LogDropped(string reason);
}
