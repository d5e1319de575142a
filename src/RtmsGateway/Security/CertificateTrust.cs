using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RtmsGateway.Security;

/// <summary>
/// The CA bundle of <c>Auth:Mtls:ClientCaPath</c>: a certificate is trusted when it chains to one of these roots (and no
/// other: the system store does not count) and is meant for the given use (client or server authentication). No
/// revocation check: the cluster has no route to CRL or OCSP endpoints; rotate the CA instead.
/// </summary>
internal sealed class CertificateTrust
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private readonly X509Certificate2Collection _roots = [];

    public CertificateTrust(string caPemPath) => _roots.ImportFromPemFile(caPemPath);

    public bool IsTrustedClient(X509Certificate2 certificate) => Chains(certificate, ClientAuthentication);

    public bool IsTrustedServer(X509Certificate2 certificate) => Chains(certificate, ServerAuthentication);

    /// <summary>The consumer a client certificate names: its subject common name.</summary>
    public static string IdentityOf(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    private bool Chains(X509Certificate2 certificate, Oid use)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(use);
        return chain.Build(certificate);
    }
}
