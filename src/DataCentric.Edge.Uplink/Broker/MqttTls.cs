using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DataCentric.Edge.Core.Configuration;
using MQTTnet;

namespace DataCentric.Edge.Uplink.Broker;

/// <summary>TLS settings from PEM files: the fleet CA as the only trust root, and the client certificate.</summary>
internal static class MqttTls
{
    public static MqttClientOptionsBuilder WithTlsFrom(this MqttClientOptionsBuilder builder, UplinkOptions options, string host)
    {
        if (!options.UseTls)
        {
            return builder;
        }

        var tls = new MqttClientTlsOptionsBuilder().WithTargetHost(host);
        if (options.ClientCertificatePath is { } certificatePath)
        {
            tls.WithClientCertificates([LoadClientCertificate(certificatePath, options.ClientKeyPath)]);
        }

        if (options.CaCertificatePath is { } caPath)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
            tls.WithCertificateValidationHandler(e => IsSignedBy(e.Certificate, e.SslPolicyErrors, ca));
        }

        return builder.WithTlsOptions(tls.Build());
    }

    private static X509Certificate2 LoadClientCertificate(string certificatePath, string? keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

        // A PEM key is ephemeral; a PKCS#12 round trip gives SslStream a key it can always use.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Name must match; the chain must end at the pinned CA rather than a system root.</summary>
    private static bool IsSignedBy(X509Certificate? presented, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
