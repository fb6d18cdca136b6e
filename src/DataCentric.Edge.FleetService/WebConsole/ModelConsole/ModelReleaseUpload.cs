using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Fleet.Api;
using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.Uplink.Models;
using Microsoft.AspNetCore.Http.Features;

namespace DataCentric.Edge.FleetService.WebConsole.ModelConsole;

/// <summary>
/// One upload of the Models page: the ONNX file as the body (<c>application/octet-stream</c>, which another
/// site cannot send without a preflight) and the envelope <c>edgectl models sign</c> wrote, base64, in the
/// <see cref="EnvelopeHeader"/> header. The file goes to disk while it is hashed, never whole into memory.
/// </summary>
internal static class ModelReleaseUpload
{
    public const string EnvelopeHeader = "X-Model-Release";

    /// <summary>The envelope's exact bytes and its payload, checked for shape; otherwise a 400 naming the header field.</summary>
    public static (byte[] Envelope, ModelReleasePayload Payload) ReadEnvelope(HttpRequest request)
    {
        var header = request.Headers[EnvelopeHeader].ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new ApiInputException($"header '{EnvelopeHeader}': required, the base64 of the envelope edgectl models sign writes");
        }

        byte[] bytes;
        TriggerSetEnvelope? envelope;
        try
        {
            bytes = Convert.FromBase64String(header.Trim());
            envelope = JsonSerializer.Deserialize(bytes, UplinkJson.TypeInfo<TriggerSetEnvelope>());
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ApiInputException($"header '{EnvelopeHeader}': not a signed model release envelope {{keyId, payload, signature}} in base64: {e.Message}", e);
        }

        if (envelope is null || string.IsNullOrWhiteSpace(envelope.KeyId) || string.IsNullOrWhiteSpace(envelope.Signature) || string.IsNullOrWhiteSpace(envelope.Payload))
        {
            throw new ApiInputException($"header '{EnvelopeHeader}': not a signed model release envelope: it needs 'keyId', 'payload' and 'signature'");
        }

        ModelReleasePayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Convert.FromBase64String(envelope.Payload), UplinkJson.TypeInfo<ModelReleasePayload>());
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ApiInputException($"envelope field 'payload': not a model release: {e.Message}", e);
        }

        return (bytes, Check(payload));
    }

    /// <summary>Streams the body to <paramref name="path"/>, bounded by <paramref name="maxBytes"/>; returns its size and SHA-256.</summary>
    /// <exception cref="BadHttpRequestException">413: the body is over <paramref name="maxBytes"/>.</exception>
    public static async Task<(long Size, string Sha256)> SaveBodyAsync(HttpContext context, string path, long maxBytes)
    {
        if (!string.Equals(context.Request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiInputException("the body must be the ONNX file (Content-Type: application/octet-stream)");
        }

        if (context.Request.ContentLength > maxBytes)
        {
            throw new BadHttpRequestException($"the model file is {context.Request.ContentLength} bytes, over {maxBytes}", StatusCodes.Status413PayloadTooLarge);
        }

        // This endpoint alone takes bodies past Kestrel's default.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                size += read;
                if (size > maxBytes)
                {
                    throw new BadHttpRequestException($"the model file is over {maxBytes} bytes", StatusCodes.Status413PayloadTooLarge);
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
            }
        }

        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static ModelReleasePayload Check(ModelReleasePayload? payload)
    {
        if (payload is null)
        {
            throw new ApiInputException("envelope field 'payload': JSON null");
        }

        if (payload.Contract != FleetTopics.Root)
        {
            throw new ApiInputException($"payload field 'contract': '{payload.Contract}' is not {FleetTopics.Root}");
        }

        foreach (var (field, missing) in new[] { ("fleet", string.IsNullOrWhiteSpace(payload.Fleet)), ("name", string.IsNullOrWhiteSpace(payload.Name)), ("target", payload.Target is null), ("io", payload.Io is null) })
        {
            if (missing)
            {
                throw new ApiInputException($"payload field '{field}': required (is this a trigger set, not a model release?)");
            }
        }

        if (payload.Sha256 is not { Length: 64 } sha || !sha.All(Uri.IsHexDigit))
        {
            throw new ApiInputException($"payload field 'sha256': '{payload.Sha256}' is not a SHA-256 (64 hex digits)");
        }

        if (payload.Version < 1)
        {
            throw new ApiInputException($"payload field 'version': {payload.Version} must be at least 1");
        }

        if (payload.SizeBytes < 1)
        {
            throw new ApiInputException($"payload field 'sizeBytes': {payload.SizeBytes} must be at least 1");
        }

        return payload;
    }

    /// <summary>The release's retained topic; a 400 naming the field when the target or name is not a topic segment.</summary>
    public static string TopicOf(ModelReleasePayload payload)
    {
        try
        {
            return ModelTopics.ReleaseOf(payload);
        }
        catch (ArgumentException e)
        {
            throw new ApiInputException($"payload field 'target' or 'name': not usable in a topic: {e.Message}", e);
        }
    }
}
