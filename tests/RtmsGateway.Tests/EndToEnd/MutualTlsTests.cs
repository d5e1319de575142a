using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>Auth:Mode=Mtls: consumers are their client certificates, issued by the configured CA, and their allow-lists apply.</summary>
public sealed class MutualTlsTests : IAsyncLifetime
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly List<GrpcChannel> _channels = [];
    private GatewayUnderTest _gateway = null!;
    private SimulatedMeeting _meeting = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            [GatewayUnderTest.GrpcCertificateSetting] = _pki.ServerCertificatePath,
            ["Kestrel:Endpoints:Grpc:Certificate:KeyPath"] = _pki.ServerKeyPath,
            ["Auth:Mode"] = "Mtls",
            ["Auth:Mtls:ClientCaPath"] = _pki.CaPath,
            ["Auth:Consumers:analytics:MediaTypes:0"] = "transcripts",
            ["Auth:Consumers:analytics:Instances:0"] = "*",
        });
        _meeting = await _gateway.StartMeetingAsync(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        await _gateway.DisposeAsync();
        _pki.Dispose();
    }

    /// <summary>A consumer that trusts the gateway by the test CA and presents <paramref name="certificate"/> (or none).</summary>
    private RtmsGatewayService.RtmsGatewayServiceClient Consumer(X509Certificate2? certificate)
    {
        var channel = GrpcChannel.ForAddress(_gateway.GrpcUrl, new GrpcChannelOptions { HttpHandler = _pki.ConsumerHandler(certificate) });
        _channels.Add(channel);
        return new RtmsGatewayService.RtmsGatewayServiceClient(channel);
    }

    private SubscriptionTarget Target => new() { RtmsStreamId = _meeting.StreamId };

    [Fact]
    public async Task A_consumer_with_a_certificate_of_the_ca_reads_what_its_policy_allows_and_nothing_else()
    {
        using var certificate = _pki.Client("analytics");
        var consumer = Consumer(certificate);
        using var transcripts = consumer.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target });
        var segments = await StreamReading.ReadAsync(transcripts.ResponseStream, 2, r => r.Segment is not null);
        Assert.Contains(segments, r => r.Segment?.Text.Length > 0);

        using var audio = consumer.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        var refused = await Assert.ThrowsAsync<RpcException>(() => audio.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task Without_a_certificate_a_call_is_unauthenticated()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await Consumer(null).ListSessionsAsync(new ListSessionsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task A_certificate_the_policy_does_not_name_is_denied()
    {
        using var certificate = _pki.Client("stranger");
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await Consumer(certificate).ListSessionsAsync(new ListSessionsRequest()));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task A_certificate_of_another_ca_does_not_get_through_the_tls_handshake()
    {
        using var otherCa = TestPki.Create("some-other-ca");
        using var forged = otherCa.Client("analytics");
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await Consumer(forged).ListSessionsAsync(new ListSessionsRequest()));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
    }
}
