using System.Buffers;
using System.Globalization;
using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.FleetService.ObjectStore;

/// <summary>
/// The one object key layout, the same in every store:
/// <c>{prefix}{fleet}/{device}/{yyyy-MM-dd}/{clipId}.mcap</c>, the date being the clip's start
/// (UTC). One device's day is one listing; the prefix separates fleets' tenants or environments.
/// </summary>
public static class ClipObjectKeys
{
    public const string Extension = ".mcap";

    /// <summary>S3's limit on a key's length (UTF-8 bytes).</summary>
    public const int MaxKeyLength = 1024;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.=@:");

    /// <summary>The key of a clip.</summary>
    /// <param name="prefix">Empty, or segments that end with '/' (e.g. <c>clips/</c>).</param>
    /// <exception cref="ArgumentException">A part is empty, starts with '.', or holds a character other than letters, digits and <c>- _ . = @ :</c>.</exception>
    public static string For(string prefix, string fleet, string device, DateTimeOffset clipStart, string clipId)
    {
        ValidatePrefix(prefix);
        ValidateSegment(fleet, nameof(fleet));
        ValidateSegment(device, nameof(device));
        ValidateSegment(clipId, nameof(clipId));
        var day = clipStart.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var key = $"{prefix}{fleet}/{device}/{day}/{clipId}{Extension}";
        return key.Length <= MaxKeyLength ? key : throw new ArgumentException($"The key '{key[..64]}…' is longer than {MaxKeyLength} characters.", nameof(clipId));
    }

    /// <summary>The key of the clip a manifest describes.</summary>
    public static string For(string prefix, ClipManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return For(prefix, manifest.Fleet, manifest.Device, manifest.StartWall, manifest.ClipId);
    }

    /// <summary>
    /// Guards every key a store is given: segments of the allowed characters joined by '/', none
    /// empty or starting with '.', so a key is also a safe relative path under the local folder.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not of that shape.</exception>
    public static void Validate(string key, string paramName = "key")
    {
        ArgumentException.ThrowIfNullOrEmpty(key, paramName);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"The key is longer than {MaxKeyLength} characters.", paramName);
        }

        foreach (var range in key.AsSpan().Split('/'))
        {
            if (!IsSegment(key.AsSpan()[range]))
            {
                throw new ArgumentException($"'{key}' is not a valid object key: segments of letters, digits and '- _ . = @ :', none empty or starting with '.'.", paramName);
            }
        }
    }

    /// <summary>Guards a configured key prefix: empty, or valid key segments that end with '/'.</summary>
    public static void ValidatePrefix(string prefix, string paramName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length == 0)
        {
            return;
        }

        if (!prefix.EndsWith('/'))
        {
            throw new ArgumentException($"The key prefix '{prefix}' must end with '/' (e.g. 'clips/').", paramName);
        }

        Validate(prefix[..^1], paramName);
    }

    private static void ValidateSegment(string segment, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment, paramName);
        if (!IsSegment(segment))
        {
            throw new ArgumentException($"'{segment}' cannot be part of an object key: letters, digits and '- _ . = @ :' only, not starting with '.'.", paramName);
        }
    }

    private static bool IsSegment(ReadOnlySpan<char> segment) =>
        segment.Length > 0 && segment[0] != '.' && !segment.ContainsAnyExcept(Allowed);
}
