using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Uplink.Commands;

/// <summary>A command whose result is a <typeparamref name="TResult"/> of the contract.</summary>
internal abstract class DeviceCommand<TResult> : IDeviceCommand
{
    /// <summary>The most catalog entries a command looks through.</summary>
    protected const int ScanLimit = 10_000;

    public abstract string Name { get; }

    public Type ResultType => typeof(TResult);

    public async Task<JsonElement> AnswerAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await ResultAsync(request, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToElement(result, UplinkJson.TypeInfo<TResult>());
    }

    /// <exception cref="CommandRefusedException">The request cannot be answered as asked.</exception>
    protected abstract Task<TResult> ResultAsync(CommandRequest request, CancellationToken cancellationToken);

    protected static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new CommandRefusedException($"'{name}' is required") : value;

    /// <summary>How many items a list answer carries: as asked, within 1 and <paramref name="maxItems"/>.</summary>
    protected static int Limit(CommandRequest request, int maxItems) =>
        request.Limit is { } limit ? Math.Clamp(limit, 1, maxItems) : maxItems;
}
