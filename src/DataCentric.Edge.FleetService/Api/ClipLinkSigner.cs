using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// Signs and checks clip links: HMAC-SHA256 over the clip id and the expiry (Unix seconds), so a link
/// opens one clip, until it expires, without a token. The key is Api:LinkKeyFile's bytes, or random
/// per process (links then die with the process and work on this instance only).
/// </summary>
internal sealed class ClipLinkSigner
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public ClipLinkSigner(IOptions<ApiOptions> options, TimeProvider time, ILogger<ClipLinkSigner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        if (options.Value.LinkKeyFile is { } file)
        {
            _key = File.ReadAllBytes(file);
        }
        else
        {
            FleetApiLog.RandomLinkKey(logger);
            _key = RandomNumberGenerator.GetBytes(32);
        }
    }

    /// <summary>The query values of a link to <paramref name="clipId"/> that works until <paramref name="expiresAt"/> (whole seconds).</summary>
    public (string Expires, string Signature) Sign(string clipId, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (expires, Base64Url.EncodeToString(Mac(clipId, expires)));
    }

    /// <summary>Null when the link is good; otherwise why not (for the 403 and the log).</summary>
    public string? Check(string clipId, string? expires, string? signature)
    {
        if (expires is null || signature is null)
        {
            return "a signed link needs both 'expires' and 'sig'";
        }

        byte[] presented;
        try
        {
            presented = Base64Url.DecodeFromChars(signature);
        }
        catch (FormatException)
        {
            return "the link's signature is not base64url";
        }

        if (!CryptographicOperations.FixedTimeEquals(presented, Mac(clipId, expires)))
        {
            return "the link's signature does not match (altered, for another clip, or signed by another key or process)";
        }

        var at = long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        return at <= _time.GetUtcNow() ? $"the link expired at {at:O}; ask for a new one (GET /api/clips/{clipId}/link)" : null;
    }

    private byte[] Mac(string clipId, string expires) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{clipId}\n{expires}"));
}
