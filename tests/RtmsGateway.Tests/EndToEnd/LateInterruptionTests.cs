using RtmsGateway.Api.V1;
using RtmsGateway.Observability;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// Zoom's webhooks can arrive late. An <c>rtms_interrupted</c> that arrives after the gateway already reconnected by
/// itself is about the connection before: it is judged by its <c>event_ts</c> on Zoom's clock (here 30 s ahead of this
/// machine's) and leaves the healthy new connection streaming; one stamped after the new connection began still counts.
/// </summary>
public sealed class LateInterruptionTests
{
    private static readonly TimeSpan ZoomAhead = TimeSpan.FromSeconds(30);

    private static CancellationToken Timeout => new CancellationTokenSource(StreamReading.DefaultTimeout).Token;

    [Fact]
    public async Task A_late_interrupted_webhook_after_a_reconnect_leaves_the_healthy_connection_streaming()
    {
        // Information: an ignored webhook is logged at that level. The redial waits 1-2 s (not the suite's 100-200 ms):
        // the connection's start on Zoom's clock is estimated from keep-alive samples, which lag by however long this
        // machine took to read them, so the late webhook must predate the new connection by more than a busy machine's lag.
        await using var gateway = await GatewayUnderTest.StartAsync(o => o.TimeProvider = new SkewedTimeProvider(ZoomAhead), new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Rtms:ReconnectInitialDelay"] = "00:00:02",
            ["Rtms:ReconnectMaxDelay"] = "00:00:04",
        });
        var meeting = await gateway.StartMeetingAsync();
        // Keep-alives (every 500 ms here) show the gateway Zoom's clock.
        await meeting.WaitForAsync(c => c.KeepAlivesAnswered >= 3, Timeout);

        // Signaling breaks; Zoom's webhook about it is delayed; the gateway notices the break and reconnects by itself.
        var droppedAt = meeting.Faults.DropSignalingDelayingWebhook();
        await meeting.WaitForAsync(c => c.SignalingHandshakes >= 2, Timeout);
        await meeting.WaitForStreamingAsync(Timeout);
        using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        await StreamReading.ReadAsync(audio.ResponseStream, 5, r => r.Frame is not null);
        // By this machine's clock the webhook's event_ts lies after the new connection began: only Zoom's clock tells.
        Assert.True(droppedAt > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var reconnects = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single().Reconnects;
        using (var late = await ZoomWebhooks.PostAsync(gateway.Http, gateway.WebhookUrl, ZoomWebhooks.Interrupted(meeting.InstanceId, meeting.StreamId, droppedAt)))
        {
            Assert.True(late.IsSuccessStatusCode);
        }
        var ignored = await gateway.Logs.WaitForAsync(l => l.EventId.Id == LogEventIds.StaleInterruptionIgnored);
        Assert.Contains(meeting.StreamId, ignored.Message, StringComparison.Ordinal);

        Assert.Equal(20, (await StreamReading.ReadAsync(audio.ResponseStream, 20, r => r.Frame is not null)).Count(r => r.Frame is not null));
        Assert.Equal(2, meeting.Counters.SignalingHandshakes);
        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        // Unchanged: the late webhook reconnected nothing (the drop itself counts once or twice: signaling, and media
        // when a media socket's end is read before the signaling's).
        Assert.Equal((SessionState.Streaming, reconnects), (session.State, session.Reconnects));

        // An interruption stamped after the new connection began is still acted on.
        var fresh = gateway.Simulator.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        using (var response = await ZoomWebhooks.PostAsync(gateway.Http, gateway.WebhookUrl, ZoomWebhooks.Interrupted(meeting.InstanceId, meeting.StreamId, fresh)))
        {
            Assert.True(response.IsSuccessStatusCode);
        }
        await meeting.WaitForAsync(c => c.SignalingHandshakes >= 3, Timeout);
        await meeting.WaitForStreamingAsync(Timeout);
    }
}
