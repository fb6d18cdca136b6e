using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>
/// One command a device answers, registered in <see cref="DeviceCommandList"/>. <see cref="DeviceCommands"/>
/// does the rest: rate and size limits, parsing, the reply envelope and its publishing.
/// </summary>
public interface IDeviceCommand
{
    /// <summary>The command's name on the wire (<see cref="CommandNames"/>).</summary>
    string Name { get; }

    /// <summary>The type of its result, written through <see cref="UplinkJson"/>: <see cref="UplinkJsonContext"/> must list it.</summary>
    Type ResultType { get; }

    /// <summary>The result for one request, as the reply carries it.</summary>
    /// <exception cref="CommandRefusedException">The request cannot be answered as asked; the reply says why.</exception>
    Task<JsonElement> AnswerAsync(CommandRequest request, CancellationToken cancellationToken);
}
