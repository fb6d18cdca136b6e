using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Api;

/// <summary>
/// The accepted tokens as SHA-256 hashes, read once at start (token files included). A presented
/// token is hashed and compared with every entry in constant time, so neither the answer's timing nor
/// the logs tell anything about a token.
/// </summary>
internal sealed class ApiTokens
{
    private readonly (string Name, ApiRole Role, byte[] Sha256)[] _tokens;

    public ApiTokens(IOptions<ApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tokens = [.. options.Value.Tokens.Select(t => (t.Name!, t.Role, t.TokenFile is { } file ? Hash(ReadTokenFile(file)) : Convert.FromHexString(t.TokenSha256!)))];
    }

    public int Count => _tokens.Length;

    /// <summary>The name and role of the token, or null when it is none of ours.</summary>
    public (string Name, ApiRole Role)? Find(ReadOnlySpan<char> token)
    {
        var presented = Hash(token);
        (string, ApiRole)? found = null;
        foreach (var (name, role, sha) in _tokens)
        {
            // No early exit: every entry is compared.
            if (CryptographicOperations.FixedTimeEquals(presented, sha))
            {
                found = (name, role);
            }
        }

        return found;
    }

    /// <summary>A token file's token: its text without surrounding whitespace (a trailing newline is usual).</summary>
    public static string ReadTokenFile(string path) => File.ReadAllText(path).Trim();

    private static byte[] Hash(ReadOnlySpan<char> token)
    {
        var bytes = Encoding.UTF8.GetBytes(token.ToArray());
        try
        {
            return SHA256.HashData(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
