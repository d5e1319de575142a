using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RtmsGateway.Tests.Infrastructure;

/// <summary>A throw-away certificate authority for mTLS tests: a CA, a server certificate for 127.0.0.1, and client
/// certificates by common name, written as PEM files where Kestrel and the gateway read them.</summary>
public sealed class TestPki : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _caKey;

    private TestPki(string directory, string caName)
    {
        Directory = directory;
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaPath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
        (ServerCertificatePath, ServerKeyPath) = Write("server", Issue("127.0.0.1", "1.3.6.1.5.5.7.3.1", server: true));
    }

    public string Directory { get; }

    public string CaPath { get; }

    public string ServerCertificatePath { get; }

    public string ServerKeyPath { get; }

    public static TestPki Create(string caName = "rtms-test-ca") =>
        new(System.IO.Directory.CreateTempSubdirectory("rtms-pki-").FullName, caName);

    /// <summary>A client-authentication certificate for <paramref name="commonName"/>, with its private key.</summary>
    public X509Certificate2 Client(string commonName) => Issue(commonName, "1.3.6.1.5.5.7.3.2", server: false);

    /// <summary>Writes a client certificate as PEM files (for a replica's relay certificate); returns the two paths.</summary>
    public (string Certificate, string Key) WriteClient(string commonName) => Write(commonName, Issue(commonName, "1.3.6.1.5.5.7.3.2", server: false, alsoServer: true));

    /// <summary>An HTTP handler for a consumer that trusts servers by this CA and presents <paramref name="client"/> (or no certificate).</summary>
    public SocketsHttpHandler ConsumerHandler(X509Certificate2? client)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, server, _, _) => server is X509Certificate2 s && Issued(s);
        if (client is not null)
        {
            handler.SslOptions.ClientCertificates = [client];
        }
        return handler;
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA (what a test client trusts the gateway by).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private X509Certificate2 Issue(string commonName, string usage, bool server, bool alsoServer = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { new Oid(usage) };
        if (alsoServer)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), serial);
        // A certificate with an exportable key, usable by SslStream on Linux.
        return X509Certificate2.CreateFromPem(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private (string Certificate, string Key) Write(string name, X509Certificate2 certificate)
    {
        var cert = Path.Combine(Directory, $"{name}.crt.pem");
        var key = Path.Combine(Directory, $"{name}.key.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
