using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Security;

namespace RtmsGateway.Grpc.Relay;

/// <summary>
/// TLS of replica-to-replica relay calls when consumers authenticate with client certificates: this replica presents its
/// own certificate (<c>Auth:Mtls:RelayCertificatePath</c>) and trusts a peer whose server certificate chains to the same CA.
/// Peers are dialled by pod IP, which their certificates need not name, so the host name is not checked; the CA is.
/// Without mTLS the relay speaks plain h2c inside the cluster network. The certificate and the CA are re-read when their
/// files change, so a rotated Secret takes effect on new connections without a restart.
/// </summary>
internal sealed class RelayTls(IOptions<AuthOptions> options, TimeProvider time, CertificateTrust? trust = null)
{
    /// <summary>The relay certificate, following its files as they rotate (each new connection presents the current one).</summary>
    private readonly ReloadingFiles<X509Certificate2>? _certificate =
        options.Value.Mtls is { RelayCertificatePath: { } cert, RelayKeyPath: { } key }
            ? new ReloadingFiles<X509Certificate2>([cert, key], () => X509Certificate2.CreateFromPemFile(cert, key), time)
            : null;

    public SslClientAuthenticationOptions ClientOptions()
    {
        var tls = new SslClientAuthenticationOptions();
        if (options.Value.Mode != AuthMode.Mtls || trust is null)
        {
            return tls;
        }
        if (_certificate is { } certificate)
        {
            tls.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate.Current;
        }
        tls.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            certificate is X509Certificate2 peer
            && (errors & ~(SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors)) == 0
            && trust.IsTrustedServer(peer);
        return tls;
    }
}
