using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using RtmsGateway.Api.V1;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Cluster;

/// <summary>Cluster with Auth:Mode=Mtls: a relaying replica presents its own certificate to the owner and names the
/// consumer it relays for; the owner applies that consumer's policy.</summary>
public sealed class MutualTlsRelayTests : IAsyncLifetime
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly List<GrpcChannel> _channels = [];
    private ClusterUnderTest _cluster = null!;

    public async Task InitializeAsync()
    {
        var (relayCertificate, relayKey) = _pki.WriteClient("rtms-gateway-replica");
        _cluster = await ClusterUnderTest.StartAsync(replicas: 2, extra: new Dictionary<string, string?>
        {
            [GatewayReplica.GrpcCertificateSetting] = _pki.ServerCertificatePath,
            ["Kestrel:Endpoints:Grpc:Certificate:KeyPath"] = _pki.ServerKeyPath,
            ["Auth:Mode"] = "Mtls",
            ["Auth:Mtls:ClientCaPath"] = _pki.CaPath,
            ["Auth:Mtls:RelayCertificatePath"] = relayCertificate,
            ["Auth:Mtls:RelayKeyPath"] = relayKey,
            ["Auth:Mtls:RelayIdentities:0"] = "rtms-gateway-replica",
            ["Auth:Consumers:analytics:MediaTypes:0"] = "transcripts",
            ["Auth:Consumers:analytics:Instances:0"] = "*",
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        await _cluster.DisposeAsync();
        _pki.Dispose();
    }

    private RtmsGatewayService.RtmsGatewayServiceClient Consumer(GatewayReplica replica, X509Certificate2 certificate)
    {
        var channel = GrpcChannel.ForAddress(replica.GrpcUrl, new GrpcChannelOptions { HttpHandler = _pki.ConsumerHandler(certificate) });
        _channels.Add(channel);
        return new RtmsGatewayService.RtmsGatewayServiceClient(channel);
    }

    [Fact]
    public async Task A_subscriber_on_the_non_owner_is_relayed_over_mtls_under_its_own_policy()
    {
        var meeting = _cluster.Simulator.AddMeeting(new Simulator.MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
        await meeting.StartAsync(timeout.Token);
        await meeting.WaitForStreamingAsync(timeout.Token);
        using var certificate = _pki.Client("analytics");
        var nonOwner = Consumer(_cluster.Replicas[1], certificate);
        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId };

        using var transcripts = nonOwner.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target });
        var segments = await StreamReading.ReadAsync(transcripts.ResponseStream, 3, r => r.Segment is not null);
        Assert.Equal(3, segments.Count(r => r.Segment is not null));
        var listed = await nonOwner.ListSessionsAsync(new ListSessionsRequest());
        Assert.Equal("replica-a", listed.Sessions.Single(s => s.RtmsStreamId == meeting.StreamId).Owner.ReplicaId);

        // The replica's own certificate is no consumer: the owner served the relay as "analytics", the name it carried.
        // The same consumer is refused what its policy does not name.
        using var audio = nonOwner.SubscribeAudio(new SubscribeAudioRequest { Target = target });
        var refused = await Assert.ThrowsAsync<RpcException>(() => audio.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }
}
