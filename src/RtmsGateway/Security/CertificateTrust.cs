using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RtmsGateway.Security;

/// <summary>
/// The CA bundle of <c>Auth:Mtls:ClientCaPath</c>: a certificate is trusted when it chains to one of these roots (and no
/// other: the system store does not count) and is meant for the given use (client or server authentication). No
/// revocation check: the cluster has no route to CRL or OCSP endpoints; rotate the CA instead. The bundle is re-read
/// when its file changes (<see cref="ReloadingFiles{T}"/>), so a rotated Secret takes effect without a restart.
/// </summary>
internal sealed class CertificateTrust(string caPemPath, TimeProvider time)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private readonly ReloadingFiles<X509Certificate2Collection> _roots = new([caPemPath], () => Load(caPemPath), time);

    private static X509Certificate2Collection Load(string path)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        return roots.Count > 0 ? roots : throw new CryptographicException($"{path} holds no certificate.");
    }

    public bool IsTrustedClient(X509Certificate2 certificate) => Chains(certificate, ClientAuthentication);

    public bool IsTrustedServer(X509Certificate2 certificate) => Chains(certificate, ServerAuthentication);

    /// <summary>The consumer a client certificate names: its subject common name.</summary>
    public static string IdentityOf(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    private bool Chains(X509Certificate2 certificate, Oid use)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots.Current);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(use);
        return chain.Build(certificate);
    }
}
