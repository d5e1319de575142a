using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Both orders in which Zoom ends a stream: TERMINATED on signaling first, or the <c>rtms_stopped</c> webhook first.</summary>
public sealed class StopOrderTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static bool IsTerminated(System.Text.Json.Nodes.JsonObject m) => RawRtmsClient.MsgType(m) == 8 && (int)m["state"]! == 4;

    [Fact]
    public async Task Webhook_first_answers_rtms_stopped_before_signaling_hears_terminated()
    {
        await using var session = await _harness.StreamingAsync();
        _harness.Inbox.Delay = TimeSpan.FromMilliseconds(500);
        var stopping = session.Meeting.StopAsync(StopReason.HostTriggered, StopOrder.WebhookFirst);

        var stopped = await _harness.Inbox.ExpectAsync("rtms_stopped", session.Meeting.StreamId);
        Assert.Equal((int)StopReason.HostTriggered, (int)stopped.Field("stop_reason")!);
        // The receiver has not answered yet: the stream is still live on signaling.
        Assert.NotEqual(MeetingState.Stopped, session.Meeting.State);
        Assert.DoesNotContain(await session.Signaling.CollectAsync(TimeSpan.FromMilliseconds(200)), IsTerminated);

        Assert.Equal(System.Net.HttpStatusCode.OK, await stopping);
        await session.Signaling.ExpectAsync(IsTerminated, "STREAM_STATE_UPDATE TERMINATED");
        await session.Signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(MeetingState.Stopped, session.Meeting.State);
        Assert.DoesNotContain(_harness.Inbox.Drain(), w => w.Event.EndsWith("rtms_stopped", StringComparison.Ordinal)); // sent once
    }

    [Fact]
    public async Task A_client_leaving_on_a_webhook_first_stop_is_no_interruption()
    {
        await using var session = await _harness.StreamingAsync();
        _harness.Inbox.Delay = TimeSpan.FromMilliseconds(500);
        var stopping = session.Meeting.StopAsync(StopReason.HostTriggered, StopOrder.WebhookFirst);
        await _harness.Inbox.ExpectAsync("rtms_stopped", session.Meeting.StreamId);
        await session.Signaling.CloseAsync(); // the client ends the session on the webhook, before TERMINATED

        await stopping;
        Assert.Equal(MeetingState.Stopped, session.Meeting.State);
        Assert.Equal(0, session.Meeting.Counters.Interruptions);
        Assert.DoesNotContain(_harness.Inbox.Drain(), w => w.Event.EndsWith("rtms_interrupted", StringComparison.Ordinal) || w.Event.EndsWith("rtms_stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Signaling_first_sends_terminated_before_the_webhook()
    {
        await using var session = await _harness.StreamingAsync();
        await session.Meeting.StopAsync(StopReason.MeetingEnded, StopOrder.SignalingFirst);
        await session.Signaling.ExpectAsync(IsTerminated, "STREAM_STATE_UPDATE TERMINATED");
        Assert.Equal((int)StopReason.MeetingEnded, (int)(await _harness.Inbox.ExpectAsync("rtms_stopped", session.Meeting.StreamId)).Field("stop_reason")!);
    }
}
