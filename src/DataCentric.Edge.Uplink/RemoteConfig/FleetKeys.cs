using System.Security.Cryptography;

namespace DataCentric.Edge.Uplink.RemoteConfig;

/// <summary>
/// The fleet's signing keys: ECDSA P-256 in PEM (private key PKCS#8, public key SubjectPublicKeyInfo).
/// A key id is the first 8 bytes of the SHA-256 of the public key, hex: devices pin public keys, the
/// id only says which one to try.
/// </summary>
public static class FleetKeys
{
    public static ECDsa New() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 8));
    }

    /// <exception cref="CryptographicException">The text is not a P-256 key.</exception>
    public static ECDsa ImportPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException($"the key is ECDSA with {key.KeySize} bits; trigger sets are signed with P-256");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Loads pinned public keys by id; every file must hold a P-256 public key.</summary>
    /// <exception cref="CryptographicException">A file does not hold a P-256 key (the message names it).</exception>
    public static IReadOnlyDictionary<string, ECDsa> LoadTrusted(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            try
            {
                var key = ImportPem(File.ReadAllText(path));
                keys[KeyIdOf(key)] = key;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new CryptographicException($"{path}: not a P-256 public key in PEM ({e.Message})", e);
            }
        }

        return keys;
    }
}
