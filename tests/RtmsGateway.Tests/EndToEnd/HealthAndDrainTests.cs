using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using RtmsGateway.Api.V1;
using RtmsGateway.Grpc;
using RtmsGateway.Ownership;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

public sealed class HealthAndDrainTests
{
    [Fact]
    public async Task Http_and_grpc_health_report_serving()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        var health = new Health.HealthClient(gateway.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "rtms.gateway.v1.RtmsGatewayService" })).Status);
    }

    [Fact]
    public async Task Shutdown_ends_subscriptions_with_unavailable_and_a_resume_point_and_releases_the_lease()
    {
        var gateway = await GatewayUnderTest.StartAsync();
        try
        {
            var meeting = await gateway.StartMeetingAsync();
            using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
            var frames = await StreamReading.ReadAsync(audio.ResponseStream, 5, r => r.Frame is not null);
            var store = gateway.Service<IOwnershipStore>();
            Assert.NotNull((await store.GetAsync(meeting.StreamId, CancellationToken.None))?.OwnerReplicaId);

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var stop = gateway.App.StopAsync(stopping.Token);
            var error = await Assert.ThrowsAsync<RpcException>(() => StreamReading.ReadToEndAsync(audio.ResponseStream));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            var resumeAfter = ResumeTrailer.Read(error.Trailers);
            Assert.NotNull(resumeAfter);
            Assert.True(resumeAfter >= frames.Last(r => r.Frame is not null).Frame.Header.Sequence);
            await stop;
            Assert.True(gateway.Service<RtmsGateway.Sessions.DrainState>().IsDraining);
            Assert.Null((await store.GetAsync(meeting.StreamId, CancellationToken.None))?.OwnerReplicaId);
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }
}
