using System.Text.Json.Nodes;
using RtmsGateway.Protocol;
using RtmsGateway.Protocol.Webhooks;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Every fault is observable by a client, and Zoom's timers (keep-alive drops, buffering) behave as documented.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task<(SimulatedMeeting Meeting, RawRtmsClient Signaling, RawRtmsClient Media)> StreamingAsync()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        var (media, _) = await _harness.MediaAsync(meeting, signaling, response, "all", 32);
        await media.ExpectAsync(14);
        return (meeting, signaling, media);
    }

    [Fact]
    public async Task Dropping_signaling_closes_media_too_and_sends_rtms_interrupted()
    {
        var (meeting, signaling, media) = await StreamingAsync();
        await using var s = signaling;
        await using var m = media;
        await meeting.Faults.DropSignalingAsync();
        await signaling.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await media.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        var interrupted = await _harness.Inbox.ExpectAsync("rtms_interrupted");
        Assert.Equal(meeting.StreamId, (string)interrupted.Field("rtms_stream_id")!);
        Assert.Equal(MeetingState.Interrupted, meeting.State);

        // A fresh handshake within the window resumes the stream.
        var (again, response) = await _harness.SignalAsync(meeting);
        await using var a = again;
        Assert.Equal(0, (int)response["status_code"]!);
    }

    [Fact]
    public async Task Dropping_media_is_reported_on_signaling()
    {
        var (meeting, signaling, media) = await StreamingAsync();
        await using var s = signaling;
        await using var m = media;
        await meeting.Faults.DropMediaAsync(null);
        await signaling.ExpectAsync(x => (int)x["msg_type"]! == 6 && (int)x["event"]!["event_type"]! == 7, "MEDIA_CONNECTION_INTERRUPTED");
        await signaling.ExpectAsync(x => (int)x["msg_type"]! == 8 && (int)x["state"]! == 2 && (int)x["reason"]! == 14, "stream state interrupted/14");
        await media.Closed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_client_that_ignores_three_pings_is_dropped()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, _) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        signaling.AnswerKeepAlives = false;
        await signaling.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, meeting.Counters.KeepAliveDrops);
        Assert.True(meeting.Counters.KeepAlivesMissed >= 2);
        await _harness.Inbox.ExpectAsync("rtms_interrupted");
    }

    [Fact]
    public async Task Suppressed_pings_stop_arriving()
    {
        var (meeting, signaling, media) = await StreamingAsync();
        await using var s = signaling;
        await using var m = media;
        meeting.Faults.SuppressKeepAlives(signaling: true, media: true);
        await signaling.CollectAsync(TimeSpan.FromMilliseconds(100)); // pings already in flight
        var sentBefore = meeting.Counters.KeepAlivesSent;
        var collected = await signaling.CollectAsync(TimeSpan.FromMilliseconds(800));
        Assert.DoesNotContain(collected, x => (int)x["msg_type"]! == 12);
        Assert.Equal(sentBefore, meeting.Counters.KeepAlivesSent);
    }

    [Fact]
    public async Task Malformed_fragmented_and_binary_frames_are_sent_as_asked()
    {
        var (meeting, signaling, media) = await StreamingAsync();
        await using var s = signaling;
        await using var m = media;
        await meeting.Faults.SendMalformedFrameAsync();
        await meeting.Faults.SendInvalidBase64Async();
        meeting.Faults.FragmentFrames = true;
        meeting.Faults.BinaryFrames = true;
        while (media.FragmentedMessages == 0 || media.BinaryFrames == 0)
        {
            await media.ExpectAsync(14);
        }
        var audio = await media.ExpectAsync(14);
        Assert.Equal(1, media.UnparsableMessages);
        Assert.Equal(640, Convert.FromBase64String((string)audio["content"]!["data"]!).Length);
    }

    [Fact]
    public async Task Pause_and_resume_send_state_updates_and_no_media_in_between()
    {
        var (meeting, signaling, media) = await StreamingAsync();
        await using var s = signaling;
        await using var m = media;
        await meeting.Faults.PauseAsync();
        await signaling.ExpectAsync(x => (int)x["msg_type"]! == 8 && (int)x["state"]! == 5, "stream paused");
        await signaling.ExpectAsync(x => (int)x["msg_type"]! == 9 && (int)x["state"]! == 3, "session paused");
        await media.CollectAsync(TimeSpan.FromMilliseconds(100)); // what was already in flight
        var audioBefore = meeting.Counters.AudioFramesSent;
        var whilePaused = await media.CollectAsync(TimeSpan.FromMilliseconds(400));
        Assert.DoesNotContain(whilePaused, x => (int)x["msg_type"]! is 14 or 15 or 17);
        Assert.Equal(audioBefore, meeting.Counters.AudioFramesSent);
        await meeting.Faults.ResumeAsync();
        await signaling.ExpectAsync(x => (int)x["msg_type"]! == 8 && (int)x["state"]! == 6, "stream resumed");
        await media.ExpectAsync(14);
    }

    [Fact]
    public async Task Stopping_sends_terminated_closes_and_posts_rtms_stopped()
    {
        var (meeting, signaling, media) = await StreamingAsync();
        await using var s = signaling;
        await using var m = media;
        await meeting.StopAsync(StopReason.HostTriggered, CancellationToken.None);
        var terminated = await signaling.ExpectAsync(x => (int)x["msg_type"]! == 8 && (int)x["state"]! == 4, "stream terminated");
        Assert.Equal(1, (int)terminated["reason"]!);
        var session = await signaling.ExpectAsync(x => (int)x["msg_type"]! == 9 && (int)x["state"]! == 5, "session stopped");
        Assert.Equal(1, (int)session["stop_reason"]!);
        var stopped = await _harness.Inbox.ExpectAsync("rtms_stopped");
        Assert.Equal(1, (int)stopped.Field("stop_reason")!);
        await signaling.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await media.Closed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Failover_drops_connections_and_repeats_rtms_started_for_the_same_stream()
    {
        var (meeting, signaling, media) = await StreamingAsync();
        await using var s = signaling;
        await using var m = media;
        await meeting.Faults.FailoverAsync();
        await signaling.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        var again = await _harness.Inbox.ExpectAsync("rtms_started");
        Assert.Equal(meeting.StreamId, (string)again.Field("rtms_stream_id")!);
        var (reconnected, response) = await _harness.SignalAsync(meeting);
        await using var r = reconnected;
        Assert.Equal(0, (int)response["status_code"]!);
    }

    [Fact]
    public async Task Audio_produced_before_the_client_connects_is_delivered_after()
    {
        var (meeting, started) = await _harness.StartMeetingAsync();
        var startedAt = (long)started.Body["event_ts"]!;
        await Task.Delay(300); // the gap a real gateway takes to react to the webhook, which Zoom buffers
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, _) = await _harness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var m = media;
        var first = await media.ExpectAsync(14);
        Assert.True((long)first["content"]!["timestamp"]! < startedAt + 100, "the first audio packet should be from around rtms_started");
    }

    [Fact]
    public async Task Buffered_audio_is_dropped_when_the_client_asks_with_buffer_data_false()
    {
        var (meeting, started) = await _harness.StartMeetingAsync();
        var startedAt = (long)started.Body["event_ts"]!;
        await Task.Delay(300);
        await using var signaling = await RawRtmsClient.ConnectAsync(_harness.Simulator.SignalingUri);
        var request = SimulatorHarness.SignalingRequest(meeting);
        request["buffer_data"] = false;
        await signaling.SendAsync(request);
        var response = await signaling.ExpectAsync(2);
        var (media, _) = await _harness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var m = media;
        var first = await media.ExpectAsync(14);
        Assert.True((long)first["content"]!["timestamp"]! >= startedAt + 250);
    }

    [Theory]
    [InlineData(WebhookPayloadShape.Flat, WebhookTimestampUnit.Seconds)]
    [InlineData(WebhookPayloadShape.Nested, WebhookTimestampUnit.Milliseconds)]
    public async Task Webhooks_are_signed_in_both_shapes_and_units(WebhookPayloadShape shape, WebhookTimestampUnit unit)
    {
        await using var harness = await SimulatorHarness.StartAsync(o =>
        {
            o.WebhookPayloadShape = shape;
            o.WebhookTimestampUnit = unit;
        });
        var (meeting, started) = await harness.StartMeetingAsync();
        Assert.Equal(WebhookSignatureResult.Valid, started.Signature);
        Assert.Equal(unit == WebhookTimestampUnit.Milliseconds ? 13 : 10, started.Timestamp.Length);
        Assert.Equal(shape == WebhookPayloadShape.Nested, started.Body["payload"]!["object"] is not null);
        var parsed = ZoomWebhookParser.Parse(System.Text.Encoding.UTF8.GetBytes(started.Body.ToJsonString()));
        Assert.Equal((meeting.InstanceId, meeting.StreamId), (parsed.InstanceId, parsed.RtmsStreamId));
        Assert.True((await harness.Simulator.ValidateWebhookUrlAsync(CancellationToken.None)).Succeeded);
    }
}
