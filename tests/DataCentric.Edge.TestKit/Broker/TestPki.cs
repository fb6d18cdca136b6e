using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DataCentric.Edge.TestKit.Broker;

/// <summary>
/// Throw-away certificate authorities for broker tests, as firmware-config/broker/CERTIFICATES.md
/// describes: the fleet CA signs the server certificate (127.0.0.1) and one client certificate per
/// device; the tools CA signs the fleet tools' identities (dce-receiver, dce-operator), which only the
/// tools listener accepts. A client certificate's common name is its MQTT identity (mosquitto's
/// <c>use_identity_as_username</c>). Files are PEM, as mosquitto and the agent read them.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly ECDsa _caKey;
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _toolsCaKey;
    private readonly X509Certificate2 _toolsCa;

    public TestPki(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
        (_ca, _caKey) = CreateCa("dce test CA");
        CaCertificatePath = Path.Combine(Directory, "ca.crt");
        File.WriteAllText(CaCertificatePath, _ca.ExportCertificatePem());
        (_toolsCa, _toolsCaKey) = CreateCa("dce test tools CA");
        ToolsCaCertificatePath = Path.Combine(Directory, "tools-ca.crt");
        File.WriteAllText(ToolsCaCertificatePath, _toolsCa.ExportCertificatePem());
        (ServerCertificatePath, ServerKeyPath) = Issue(_ca, "server", "localhost", server: true);
    }

    public string Directory { get; }

    /// <summary>The fleet CA: signed the server certificate, so every client trusts the broker through it; signs devices.</summary>
    public string CaCertificatePath { get; }

    /// <summary>The tools CA: the only issuer the tools listener accepts client certificates from.</summary>
    public string ToolsCaCertificatePath { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    /// <summary>Issues a device certificate (fleet CA) for <paramref name="identity"/>; returns the PEM certificate and key paths.</summary>
    public (string CertificatePath, string KeyPath) IssueClient(string identity) => Issue(_ca, identity, identity, server: false);

    /// <summary>Issues a fleet tool's certificate (tools CA) for <paramref name="identity"/>.</summary>
    public (string CertificatePath, string KeyPath) IssueTool(string identity) => Issue(_toolsCa, $"{identity}.tool", identity, server: false);

    /// <summary>A certificate signed by a different CA, for the "unknown client" case.</summary>
    public static (string CertificatePath, string KeyPath) SelfSigned(string directory, string identity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={identity}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificatePath = Path.Combine(directory, $"{identity}.self.crt");
        var keyPath = Path.Combine(directory, $"{identity}.self.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        _toolsCa.Dispose();
        _toolsCaKey.Dispose();
    }

    private static (X509Certificate2 Certificate, ECDsa Key) CreateCa(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)), key);
    }

    private (string CertificatePath, string KeyPath) Issue(X509Certificate2 issuer, string fileName, string commonName, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        var usage = server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
        var certificatePath = Path.Combine(Directory, $"{fileName}.crt");
        var keyPath = Path.Combine(Directory, $"{fileName}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
