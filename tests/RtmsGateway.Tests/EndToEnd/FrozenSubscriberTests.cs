using Grpc.Core;
using Grpc.Net.Client;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// A consumer that freezes without closing its connection (SIGSTOP, a hung event loop, a partition that keeps the TCP
/// connection up) stops granting HTTP/2 flow-control window, so its call's writes wait for ever. Before, such a call held
/// what it held for good: its subscriber slot and, in individual video mode, the participant no one else could watch.
/// Now the call is aborted once it has accepted nothing for Fanout:SubscriberStallTimeout.
/// </summary>
public sealed class FrozenSubscriberTests
{
    [Fact]
    public async Task A_frozen_watcher_loses_its_call_after_the_stall_timeout_and_the_participant_can_be_watched_by_others()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rtms:VideoMode"] = "Individual",
            ["Rtms:VideoFps"] = "25",
            ["Rtms:VideoResolution"] = "Qhd",
            ["Fanout:SubscriberStallTimeout"] = "00:00:02",
        });
        var meeting = await gateway.StartMeetingAsync(new MeetingOptions { Participants = 2 });
        var (a, b) = (meeting.Participants[0].UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), meeting.Participants[1].UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The frozen consumer: its own connection, one frame read, then never another.
        using var frozenChannel = GrpcChannel.ForAddress(gateway.GrpcUrl);
        var frozen = new RtmsGatewayService.RtmsGatewayServiceClient(frozenChannel).SubscribeVideo(new SubscribeVideoRequest
        {
            Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId, UserIds = { a } },
        });
        Assert.True(await frozen.ResponseStream.MoveNext());

        // While it holds participant A, B is refused; once the gateway gave up on it, B can be watched.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var refusals = 0;
        while (true)
        {
            using var call = gateway.Client.SubscribeVideo(new SubscribeVideoRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId, UserIds = { b } } });
            try
            {
                var frames = (await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Frame is not null)).Where(r => r.Frame is not null).ToList();
                Assert.All(frames, r => Assert.Equal(b, r.Frame.Header.UserId));
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && DateTime.UtcNow < deadline)
            {
                refusals++;
                await Task.Delay(200);
            }
        }
        Assert.True(refusals > 0, "participant A was never held: the test did not freeze a watcher");
        var metrics = await gateway.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("""rtms_gateway_rejections_total\{[^}]*limit="subscriber_stalled"[^}]*\} [1-9]""", metrics);
        frozen.Dispose();
    }
}
