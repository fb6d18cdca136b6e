using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>A signed model release file as edgectl reads it before a push: its payload, and the model file checked against it.</summary>
internal static class ModelReleaseFile
{
    /// <summary>The signed payload (not verified: the devices do that with their pinned keys).</summary>
    /// <exception cref="UsageException">The file is missing or not a model release envelope (the message names the file and the field).</exception>
    public static ModelReleasePayload Read(FileInfo envelope, byte[] bytes)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(bytes, UplinkJson.TypeInfo<TriggerSetEnvelope>())
                ?? throw new UsageException($"{envelope.FullName}: not a signed model release: the file holds JSON null");
            if (parsed.Payload is null)
            {
                throw new UsageException($"{envelope.FullName}: not a signed model release: it has no 'payload'");
            }

            var payload = JsonSerializer.Deserialize(Convert.FromBase64String(parsed.Payload), UplinkJson.TypeInfo<ModelReleasePayload>())
                ?? throw new UsageException($"{envelope.FullName}: 'payload' is JSON null");
            foreach (var (field, missing) in new[] { ("fleet", payload.Fleet is null), ("target", payload.Target is null), ("name", payload.Name is null), ("sha256", payload.Sha256 is null) })
            {
                if (missing)
                {
                    throw new UsageException($"{envelope.FullName}: 'payload' has no '{field}': not a model release (a trigger set?)");
                }
            }

            return payload;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new UsageException($"{envelope.FullName}: not a signed model release: {e.Message}", e);
        }
    }

    /// <exception cref="UsageException">The model file is not the one the release describes (size, then SHA-256).</exception>
    public static async Task CheckModelAsync(FileInfo envelope, ModelReleasePayload release, FileInfo model, CancellationToken cancellationToken)
    {
        if (!model.Exists)
        {
            throw new UsageException($"{model.FullName}: no such file");
        }

        if (model.Length != release.SizeBytes)
        {
            throw new UsageException($"{model.FullName} is {model.Length} bytes, but 'sizeBytes' in {envelope.FullName} says {release.SizeBytes}: not the file that was signed");
        }

        string sha256;
        await using (var stream = model.OpenRead())
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        if (!string.Equals(sha256, release.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"{model.FullName} has SHA-256 {sha256}, but 'sha256' in {envelope.FullName} says {release.Sha256}: not the file that was signed");
        }
    }
}
