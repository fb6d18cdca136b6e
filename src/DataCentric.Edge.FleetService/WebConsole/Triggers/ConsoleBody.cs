using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.FleetService.Api;
using Microsoft.AspNetCore.Http.Features;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>Request bodies of the editor: JSON only (a cross-site form cannot send it without a preflight), bounded, read by the generated context.</summary>
internal static class ConsoleBody
{
    public const long MaxBodyBytes = 1024 * 1024;

    /// <exception cref="ApiInputException">Not JSON, too large, or not the expected object (the message says where).</exception>
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, string expected)
        where T : class
    {
        var bytes = await ReadBytesAsync(context, expected).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new ApiInputException($"the body is JSON null; send {expected}");
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at body field '{path.TrimStart('$', '.')}'" : string.Empty;
            throw new ApiInputException($"the body is not {expected}{where}: {e.Message}", e);
        }
    }

    /// <exception cref="ApiInputException">Not JSON (Content-Type) or over <see cref="MaxBodyBytes"/>.</exception>
    public static async Task<byte[]> ReadBytesAsync(HttpContext context, string expected)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new ApiInputException($"the body must be JSON (Content-Type: application/json): {expected}");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ApiInputException($"the body is over {MaxBodyBytes} bytes", e);
        }

        return buffer.ToArray();
    }

    /// <summary>The set's text and format from a request; 400 naming the field when either is missing or wrong.</summary>
    public static (string Source, TriggerSourceFormat Format) SetOf(string? source, string? format)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            throw new ApiInputException("body field 'source': required, the trigger set's YAML or JSON text");
        }

        return format?.ToLowerInvariant() switch
        {
            null or "" or "yaml" or "yml" => (source, TriggerSourceFormat.Yaml),
            "json" => (source, TriggerSourceFormat.Json),
            _ => throw new ApiInputException($"body field 'format': '{format}' is not yaml or json"),
        };
    }
}
