using System.Net.WebSockets;
using System.Text.Json.Nodes;
using RtmsGateway.Protocol;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Every injected fault is observable by a client, and Zoom's timers (reconnect windows, buffering) behave as documented (§5.2).</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static bool IsAudio(JsonObject m) => RawRtmsClient.MsgType(m) == 14;

    private static void AssertContiguous(IReadOnlyList<JsonObject> audio, int step = 20)
    {
        var timestamps = audio.Select(RawRtmsClient.Timestamp).ToList();
        Assert.All(timestamps.Zip(timestamps.Skip(1)), pair => Assert.Equal(step, pair.Second - pair.First));
    }

    [Fact]
    public async Task Dropping_signaling_drops_media_posts_rtms_interrupted_and_a_reconnect_gets_the_buffered_audio()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        var seen = await session.Media.CollectAsync(IsAudio, 5, "audio");
        await meeting.Faults.DropSignalingAsync();
        await session.Signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        await session.Media.Closed.WaitAsync(RawRtmsClient.Timeout);
        var before = seen.Concat((await session.Media.CollectAsync(TimeSpan.FromSeconds(5))).Where(IsAudio)).ToList(); // and the rest it got
        Assert.Null(session.Signaling.CloseStatus); // dropped, not closed
        var interrupted = await _harness.Inbox.ExpectAsync("rtms_interrupted", meeting.StreamId);
        Assert.Equal(meeting.InstanceId, (string)interrupted.Field("meeting_uuid")!);
        Assert.Equal(MeetingState.Interrupted, meeting.State);
        Assert.Equal((0, 0), (meeting.Counters.LiveSignalingConnections, meeting.Counters.LiveMediaConnections));
        await meeting.WaitForAsync(_ => meeting.BufferedAudio >= TimeSpan.FromMilliseconds(200));

        // A fresh handshake within the window resumes the stream; audio from the interruption is delivered first.
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(0, (int)response["status_code"]!);
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var m = media;
        var after = await media.CollectAsync(IsAudio, 20, "audio after reconnect");
        Assert.InRange(RawRtmsClient.Timestamp(after[0]) - RawRtmsClient.Timestamp(before[^1]), 20, 500);
        AssertContiguous(after);
        Assert.True(meeting.Counters.AudioFramesReplayed >= 5);
        Assert.Equal(2, meeting.Counters.SignalingHandshakes);
        Assert.Equal(0, meeting.Counters.DuplicatesFlagged);
        await meeting.WaitForStreamingAsync();
    }

    [Fact]
    public async Task Without_a_signaling_reconnect_the_stream_ends_with_reason_19()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.SignalingReconnectWindow = TimeSpan.FromMilliseconds(300));
        await using var session = await harness.StreamingAsync();
        await session.Meeting.Faults.DropSignalingAsync();
        await harness.Inbox.ExpectAsync("rtms_interrupted", session.Meeting.StreamId);
        var stopped = await harness.Inbox.ExpectAsync("rtms_stopped", session.Meeting.StreamId);
        Assert.Equal(19, (int)stopped.Field("stop_reason")!);
        Assert.Equal(MeetingState.Stopped, session.Meeting.State);
    }

    [Fact]
    public async Task Dropping_media_is_reported_on_signaling_and_a_new_media_socket_resumes_without_a_gap()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        var seen = await session.Media.CollectAsync(IsAudio, 5, "audio");
        await meeting.Faults.DropMediaAsync(MediaDataType.Audio);
        await session.Media.Closed.WaitAsync(RawRtmsClient.Timeout);
        var before = seen.Concat((await session.Media.CollectAsync(TimeSpan.FromSeconds(5))).Where(IsAudio)).ToList();
        Assert.Equal(7, (int)(await session.Signaling.ExpectEventAsync(7))["event"]!["event_type"]!);
        var state = await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 8 && (int)x["state"]! == 2, "INTERRUPTED");
        Assert.Equal(14, (int)state["reason"]!);
        Assert.Equal(MeetingState.Interrupted, meeting.State);
        Assert.DoesNotContain(_harness.Inbox.Drain(), w => w.Event.EndsWith("rtms_interrupted", StringComparison.Ordinal));

        var response = new JsonObject { ["media_server"] = new JsonObject { ["server_urls"] = new JsonObject { ["all"] = _harness.Simulator.BaseUri.ToString().Replace("http", "ws", StringComparison.Ordinal) + "media/all" } } };
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, session.Signaling, response, "all", 32);
        await using var m = media;
        var after = await media.CollectAsync(IsAudio, 10, "audio after reconnect");
        Assert.InRange(RawRtmsClient.Timestamp(after[0]) - RawRtmsClient.Timestamp(before[^1]), 20, 500);
        AssertContiguous(after);
        Assert.Equal(1, (int)(await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 8 && (int)x["state"]! == 1, "ACTIVE again"))["state"]!);
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
    }

    [Fact]
    public async Task Without_a_media_reconnect_the_stream_ends_with_reason_19()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.MediaReconnectWindow = TimeSpan.FromMilliseconds(300));
        await using var session = await harness.StreamingAsync();
        await session.Meeting.Faults.DropMediaAsync();
        var terminated = await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 8 && (int)x["state"]! == 4, "TERMINATED");
        Assert.Equal(19, (int)terminated["reason"]!);
        Assert.Equal(19, (int)(await harness.Inbox.ExpectAsync("rtms_stopped", session.Meeting.StreamId)).Field("stop_reason")!);
        await session.Signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, session.Signaling.CloseStatus);
    }

    [Fact]
    public async Task A_malformed_frame_and_invalid_base64_reach_the_client()
    {
        await using var session = await _harness.StreamingAsync();
        await session.Meeting.Faults.SendMalformedFrameAsync();
        await session.Meeting.Faults.SendInvalidBase64Async();
        await session.Meeting.Faults.SendMalformedFrameAsync(onSignaling: true);
        var bad = await session.Media.ExpectAsync(m => IsAudio(m) && ((string)m["content"]!["data"]!).Contains('@', StringComparison.Ordinal), "invalid base64");
        Assert.Throws<FormatException>(() => RawRtmsClient.Data(bad));
        Assert.Equal(1, session.Media.UnparsableMessages);
        await session.Signaling.ExpectAsync(12); // signaling went on after its malformed frame
        Assert.Equal(1, session.Signaling.UnparsableMessages);
        Assert.Equal(640, RawRtmsClient.Data(await session.Media.ExpectAsync(14)).Length); // and so does media
    }

    [Fact]
    public async Task Fragmented_and_binary_frames_reassemble_into_the_same_messages()
    {
        await using var session = await _harness.StreamingAsync();
        session.Meeting.Faults.FragmentFrames = true;
        session.Meeting.Faults.BinaryFrames = true;
        await session.Media.ReadUntilPingsAsync(1);
        var audio = await session.Media.CollectAsync(IsAudio, 10, "audio");
        Assert.All(audio, a => Assert.Equal(640, RawRtmsClient.Data(a).Length));
        Assert.True(session.Media.FragmentedMessages >= 10);
        Assert.True(session.Media.BinaryMessages >= 10);
        await session.Signaling.ExpectAsync(12);
        Assert.True(session.Signaling.FragmentedMessages >= 1);
        Assert.True(session.Meeting.Counters.FragmentedMessages >= 10);

        session.Meeting.Faults.FragmentFrames = false;
        session.Meeting.Faults.BinaryFrames = false;
        await session.Media.ReadUntilPingsAsync(2);
        var (fragmented, binary) = (session.Media.FragmentedMessages, session.Media.BinaryMessages);
        await session.Media.CollectAsync(IsAudio, 10, "audio");
        Assert.Equal((fragmented, binary), (session.Media.FragmentedMessages, session.Media.BinaryMessages));
    }

    [Fact]
    public async Task The_binary_frames_option_applies_to_every_socket_from_the_handshake_on()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.BinaryFrames = true);
        await using var session = await harness.StreamingAsync();
        await session.Media.CollectAsync(IsAudio, 5, "audio");
        Assert.Equal(session.Media.FramesReceived, session.Media.BinaryMessages);
        Assert.Equal(session.Signaling.FramesReceived, session.Signaling.BinaryMessages);
        Assert.True(session.Signaling.BinaryMessages >= 1);
    }

    [Fact]
    public async Task The_next_signaling_handshake_can_be_rejected_as_duplicate()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        meeting.Faults.RejectNextSignalingAsDuplicate();
        var (first, refused) = await _harness.SignalAsync(meeting);
        await using var f = first;
        Assert.Equal(8, (int)refused["status_code"]!);
        Assert.Contains("duplicate signal request", (string)refused["reason"]!, StringComparison.Ordinal);
        await first.Closed.WaitAsync(RawRtmsClient.Timeout);
        var (second, accepted) = await _harness.SignalAsync(meeting);
        await using var s = second;
        Assert.Equal(0, (int)accepted["status_code"]!);
        Assert.Equal(0, meeting.Counters.DuplicatesFlagged); // no two live connections: not a real duplicate
    }

    [Fact]
    public async Task Pause_and_resume_send_state_updates_and_no_media_in_between()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        await meeting.Faults.PauseAsync();
        await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 8 && (int)x["state"]! == 5, "stream PAUSED");
        await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 9 && (int)x["state"]! == 3, "session PAUSED");
        Assert.Equal(MeetingState.Paused, meeting.State);
        await session.Media.ReadUntilPingsAsync(1); // what was queued before the pause
        var audioBefore = meeting.Counters.AudioFramesSent;
        var whilePaused = await session.Media.ReadUntilPingsAsync(3); // keep-alives go on
        Assert.DoesNotContain(whilePaused, x => RawRtmsClient.MsgType(x) is 14 or 15 or 16 or 17);
        Assert.Equal(audioBefore, meeting.Counters.AudioFramesSent);
        Assert.Equal(TimeSpan.Zero, meeting.BufferedAudio); // nothing is produced while paused

        await meeting.Faults.ResumeAsync();
        await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 8 && (int)x["state"]! == 6, "stream RESUMED");
        await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 9 && (int)x["state"]! == 4, "session RESUMED");
        await session.Media.ExpectAsync(14);
        Assert.Equal(MeetingState.Streaming, meeting.State);
    }

    [Theory]
    [InlineData(StopReason.HostTriggered)]
    [InlineData(StopReason.MeetingEnded)]
    [InlineData(StopReason.StreamRevoked)]
    public async Task Stopping_sends_terminated_closes_the_sockets_and_posts_rtms_stopped(StopReason reason)
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        var status = await meeting.Faults.StopAsync(reason);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var terminated = await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 8 && (int)x["state"]! == 4, "TERMINATED");
        Assert.Equal((int)reason, (int)terminated["reason"]!);
        var sessionStopped = await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 9 && (int)x["state"]! == 5, "session STOPPED");
        Assert.Equal((int)reason, (int)sessionStopped["stop_reason"]!);
        await session.Signaling.ExpectEventAsync(4);
        var stopped = await _harness.Inbox.ExpectAsync("rtms_stopped", meeting.StreamId);
        Assert.Equal((int)reason, (int)stopped.Field("stop_reason")!);
        Assert.Equal(meeting.InstanceId, (string)stopped.Field("meeting_uuid")!);
        await session.Signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        await session.Media.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, WebSocketCloseStatus.NormalClosure), (session.Signaling.CloseStatus!.Value, session.Media.CloseStatus!.Value));
        Assert.Equal(MeetingState.Stopped, meeting.State);
        Assert.Equal(status, await meeting.StopAsync(StopReason.HostTriggered)); // idempotent
    }

    [Fact]
    public async Task Failover_drops_everything_and_repeats_rtms_started_for_the_same_stream()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        await session.Media.CollectAsync(IsAudio, 3, "audio");
        var status = await meeting.Faults.FailoverAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        await session.Signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        await session.Media.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Null(session.Signaling.CloseStatus);
        var again = await _harness.Inbox.ExpectAsync("rtms_started", meeting.StreamId);
        Assert.Equal((meeting.InstanceId, meeting.SignalingUrl), ((string)again.Field("meeting_uuid")!, (string)again.Field("server_urls")!));
        Assert.DoesNotContain(_harness.Inbox.Drain(), w => w.Event.EndsWith("rtms_interrupted", StringComparison.Ordinal));

        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        Assert.Equal(0, (int)response["status_code"]!);
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var m = media;
        AssertContiguous(await media.CollectAsync(IsAudio, 10, "audio after failover"));
        Assert.Equal((2, 0), (meeting.Counters.SignalingHandshakes, meeting.Counters.DuplicatesFlagged));
    }

    [Fact]
    public async Task Audio_produced_before_the_client_connects_is_delivered_from_rtms_started_on()
    {
        var (meeting, started) = await _harness.StartMeetingAsync();
        // The gap a real gateway takes to react to the webhook, which Zoom buffers.
        await meeting.WaitForAsync(_ => meeting.BufferedAudio >= TimeSpan.FromMilliseconds(400));
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var m = media;
        var audio = await media.CollectAsync(IsAudio, 25, "audio");
        // The stream's first packet time (event 1) is the first buffered packet: nothing since rtms_started is lost.
        var streamStart = (long)(await signaling.ExpectEventAsync(1))["event"]!["timestamp"]!;
        Assert.Equal(streamStart, RawRtmsClient.Timestamp(audio[0]));
        Assert.InRange(streamStart, (long)started.Body["event_ts"]! - 1000, (long)started.Body["event_ts"]!);
        AssertContiguous(audio);
        Assert.True(meeting.Counters.AudioFramesReplayed >= 15);
    }

    [Fact]
    public async Task Buffered_startup_audio_is_dropped_when_the_handshake_says_buffer_data_false()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        await meeting.WaitForAsync(_ => meeting.BufferedAudio >= TimeSpan.FromMilliseconds(400));
        var (signaling, response) = await _harness.SignalAsync(meeting, bufferData: false);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var m = media;
        var first = await media.ExpectAsync(14);
        var streamStart = (long)(await signaling.ExpectEventAsync(1))["event"]!["timestamp"]!;
        Assert.True(RawRtmsClient.Timestamp(first) >= streamStart + 400);
    }

    [Fact]
    public async Task The_buffer_keeps_at_most_the_configured_limit()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.AudioBufferLimit = TimeSpan.FromMilliseconds(200));
        var (meeting, _) = await harness.StartMeetingAsync();
        await meeting.WaitForAsync(_ => meeting.Counters.AudioFramesSent == 0 && meeting.BufferedAudio == TimeSpan.FromMilliseconds(200));
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await meeting.WaitForAsync(_ => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > stamp + 300);
        var (signaling, response) = await harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var m = media;
        var first = await media.ExpectAsync(14);
        var streamStart = (long)(await signaling.ExpectEventAsync(1))["event"]!["timestamp"]!;
        Assert.True(RawRtmsClient.Timestamp(first) >= streamStart + 300);
    }
}
