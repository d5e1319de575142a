using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// Certificates rotate in place, as a Kubernetes Secret volume rotates them: the kubelet writes the new files into a new
/// directory and swaps the <c>..data</c> symlink the file names point through. Without a restart, new connections get the
/// new server certificate, and consumer certificates of a newly added CA are accepted.
/// </summary>
public sealed class CertificateRotationTests
{
    [Fact]
    public async Task A_rotated_secret_volume_serves_the_new_certificate_and_trusts_the_new_ca_without_a_restart()
    {
        using var before = TestPki.Create("ca-before");
        using var after = TestPki.Create("ca-after");
        Trusted = certificate => before.Issued(certificate) || after.Issued(certificate);
        var volume = Directory.CreateTempSubdirectory("rtms-secret-volume-");
        try
        {
            SecretVolume.Write(volume.FullName, "..2026_01", before.ServerCertificatePath, before.ServerKeyPath, [before.CaPath]);
            await using var gateway = await GatewayReplica.StartAsync("rotation", new Dictionary<string, string?>
            {
                [GatewayReplica.GrpcCertificateSetting] = Path.Combine(volume.FullName, "tls.crt"),
                ["Kestrel:Endpoints:Grpc:Certificate:KeyPath"] = Path.Combine(volume.FullName, "tls.key"),
                ["Auth:Mode"] = "Mtls",
                ["Auth:Mtls:ClientCaPath"] = Path.Combine(volume.FullName, "ca.crt"),
                ["Auth:Consumers:analytics:MediaTypes:0"] = "*",
                ["Auth:Consumers:analytics:Instances:0"] = "*",
            });
            using var oldClient = before.Client("analytics");
            using var newClient = after.Client("analytics");
            Assert.True(before.Issued(await ServedCertificateAsync(gateway, oldClient)));
            await AssertRefusedAsync(gateway, newClient);

            // The kubelet's rotation: the new CA bundle keeps the old CA (consumers move over one by one).
            SecretVolume.Write(volume.FullName, "..2026_02", after.ServerCertificatePath, after.ServerKeyPath, [before.CaPath, after.CaPath]);

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!after.Issued(await ServedCertificateAsync(gateway, oldClient)))
            {
                // Each probe is a new TLS connection; Kestrel checks the files every few seconds.
                await Task.Delay(250, deadline.Token);
            }
            await ListAsync(gateway, newClient, deadline.Token);
            await ListAsync(gateway, oldClient, deadline.Token);
            Assert.False(gateway.HasExited);
        }
        finally
        {
            volume.Delete(recursive: true);
        }
    }

    /// <summary>Until a consumer of the new CA is accepted (the bundle is re-read within seconds of the swap).</summary>
    private static async Task ListAsync(GatewayReplica gateway, X509Certificate2 client, CancellationToken ct)
    {
        Exception? last = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var channel = Channel(gateway, client, _ => { });
                await new RtmsGatewayService.RtmsGatewayServiceClient(channel).ListSessionsAsync(new ListSessionsRequest(), cancellationToken: ct);
                return;
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException && !ct.IsCancellationRequested)
            {
                last = ex;
                await Task.Delay(250, CancellationToken.None);
            }
        }
        Assert.Fail($"{client.Subject} of {client.Issuer} was never accepted: {last}\n{gateway.OutputTail(30)}");
    }

    private static async Task AssertRefusedAsync(GatewayReplica gateway, X509Certificate2 client)
    {
        using var channel = Channel(gateway, client, _ => { });
        var refused = await Assert.ThrowsAsync<RpcException>(() => new RtmsGatewayService.RtmsGatewayServiceClient(channel).ListSessionsAsync(new ListSessionsRequest()).ResponseAsync);
        Assert.True(refused.StatusCode is StatusCode.Unauthenticated or StatusCode.Unavailable or StatusCode.Internal, refused.ToString());
    }

    private static async Task<X509Certificate2> ServedCertificateAsync(GatewayReplica gateway, X509Certificate2 client)
    {
        X509Certificate2? served = null;
        using var channel = Channel(gateway, client, certificate => served = certificate);
        await new RtmsGatewayService.RtmsGatewayServiceClient(channel).ListSessionsAsync(new ListSessionsRequest());
        return served!;
    }

    /// <summary>Servers this test's CAs issued (either side of the rotation).</summary>
    private static Func<X509Certificate2, bool> Trusted { get; set; } = _ => false;

    /// <summary>A fresh connection (its own handler) that reports the server certificate it was shown.</summary>
    private static GrpcChannel Channel(GatewayReplica gateway, X509Certificate2 client, Action<X509Certificate2> served)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [client];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            var server = new X509Certificate2(certificate!);
            served(server);
            return Trusted(server);
        };
        return GrpcChannel.ForAddress(gateway.GrpcUrl, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>A Secret volume's layout: <c>name -> ..data/name</c>, <c>..data -> ..&lt;timestamp&gt;</c>.</summary>
    private static class SecretVolume
    {
        public static void Write(string root, string version, string certificate, string key, string[] caBundle)
        {
            var directory = Directory.CreateDirectory(Path.Combine(root, version)).FullName;
            File.Copy(certificate, Path.Combine(directory, "tls.crt"));
            File.Copy(key, Path.Combine(directory, "tls.key"));
            File.WriteAllText(Path.Combine(directory, "ca.crt"), string.Join("\n", caBundle.Select(File.ReadAllText)) + "\n");
            // The swap is one rename of a new symlink over ..data, as the kubelet's atomic writer does it.
            var temporary = Path.Combine(root, "..data_tmp");
            File.CreateSymbolicLink(temporary, version);
            // rename(2) of the link itself (File.Move would follow it to the directory): mv -T does exactly that.
            var renamed = ExternalProcess.RunAsync("mv", ["-T", "-f", temporary, Path.Combine(root, "..data")], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            Assert.True(renamed.ExitCode == 0, renamed.ToString());
            foreach (var name in new[] { "tls.crt", "tls.key", "ca.crt" })
            {
                var link = Path.Combine(root, name);
                if (!File.Exists(link))
                {
                    File.CreateSymbolicLink(link, Path.Combine("..data", name));
                }
            }
        }
    }
}
