using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Signaling after the handshake (§3.4): event subscriptions and updates, state requests, stream close.</summary>
public sealed class SignalingTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static bool IsEvent(JsonObject m) => RawRtmsClient.MsgType(m) == 6;

    private static int EventType(JsonObject m) => (int)m["event"]!["event_type"]!;

    [Fact]
    public async Task Events_are_sent_only_when_subscribed_except_first_packet_and_media_interrupted()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting, events: []);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "all", 32);
        await using var m = media;
        // Everything the signaling socket receives after the handshake response is read and checked, up to a marker.
        var untilFirstPacket = await signaling.ReadUntilAsync(e => IsEvent(e) && EventType(e) == 1, 1, "event 1");
        Assert.True((long)untilFirstPacket[^1]["event"]!["timestamp"]! > 0);
        await meeting.ParticipantJoinAsync("Late Larry");
        await meeting.StartSharingAsync();
        await meeting.SetActiveSpeakerAsync(meeting.Participants[1].UserId);
        await meeting.Faults.DropMediaAsync();
        var untilInterrupted = await signaling.ReadUntilAsync(e => IsEvent(e) && EventType(e) == 7, 1, "event 7");
        Assert.True((long)untilInterrupted[^1]["event"]!["timestamp"]! > 0);
        List<JsonObject> seen = [.. untilFirstPacket, .. untilInterrupted, .. await signaling.RoundTripAsync(meeting.StreamId)];
        Assert.Equal([1, 7], seen.Where(IsEvent).Select(EventType));
        Assert.True(meeting.Counters.EventsSent >= 2);
    }

    [Fact]
    public async Task Participant_speaker_sharing_and_video_changes_are_event_updates()
    {
        await using var session = await _harness.StreamingAsync();
        var (meeting, signaling) = (session.Meeting, session.Signaling);
        await signaling.ExpectEventAsync(3); // the roster when media started
        var joined = await meeting.ParticipantJoinAsync("Margaret Hamilton");
        var join = await signaling.ExpectEventAsync(3);
        var participant = join["event"]!["participants"]!.AsArray().Single()!;
        Assert.Equal((joined.UserId, "Margaret Hamilton"), ((long)participant["user_id"]!, (string)participant["user_name"]!));
        Assert.Equal(joined.UserId, (long)(await signaling.ExpectEventAsync(8))["event"]!["participants"]![0]!["user_id"]!);

        await meeting.SetActiveSpeakerAsync(joined.UserId);
        var speaker = await signaling.ExpectAsync(e => IsEvent(e) && EventType(e) == 2 && (long)e["event"]!["user_id"]! == joined.UserId, "active speaker change");
        Assert.Equal("Margaret Hamilton", (string)speaker["event"]!["user_name"]!);

        await meeting.SetVideoAsync(joined.UserId, on: false);
        Assert.Equal(joined.UserId, (long)(await signaling.ExpectEventAsync(9))["event"]!["participants"]![0]!["user_id"]!);

        await meeting.StartSharingAsync(joined);
        Assert.Equal(joined.UserId, (long)(await signaling.ExpectEventAsync(5))["event"]!["user_id"]!);
        await meeting.ParticipantLeaveAsync(joined);
        await signaling.ExpectEventAsync(6); // leaving stops their share
        var leave = await signaling.ExpectEventAsync(4);
        var left = leave["event"]!["participants"]!.AsArray().Single()!;
        Assert.Equal(joined.UserId, (long)left["user_id"]!);
        Assert.Null(left["user_name"]);
        Assert.DoesNotContain(meeting.Participants, p => p.UserId == joined.UserId);
    }

    [Fact]
    public async Task The_active_speaker_rotates_among_unmuted_participants()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        await meeting.SetMutedAsync(meeting.Participants[1].UserId, muted: true);
        var changes = await session.Signaling.CollectAsync(e => IsEvent(e) && EventType(e) == 2, 4, "active speaker change");
        Assert.DoesNotContain(changes.Skip(1), e => (long)e["event"]!["user_id"]! == meeting.Participants[1].UserId);
    }

    [Fact]
    public async Task Unsubscribing_stops_those_events()
    {
        await using var session = await _harness.StreamingAsync();
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 5, ["events"] = new JsonArray(new JsonObject { ["event_type"] = 2, ["subscribe"] = false }) });
        await session.Signaling.RoundTripAsync(session.Meeting.StreamId); // the unsubscription was processed
        var speaker = session.Meeting.ActiveSpeaker;
        await session.Meeting.WaitForAsync(_ => session.Meeting.ActiveSpeaker != speaker); // a rotation happened
        Assert.DoesNotContain(await session.Signaling.RoundTripAsync(session.Meeting.StreamId), e => IsEvent(e) && EventType(e) == 2);
    }

    [Fact]
    public async Task Session_and_stream_state_requests_are_answered()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        var sessionStarted = await session.Signaling.ExpectAsync(9);
        var sessionId = (string)sessionStarted["rtms_session_id"]!;
        Assert.Equal(meeting.RtmsSessionId, sessionId);
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 10, ["rtms_session_id"] = sessionId });
        var sessionState = await session.Signaling.ExpectAsync(11);
        Assert.Equal((sessionId, 2), ((string)sessionState["rtms_session_id"]!, (int)sessionState["state"]!));
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 19, ["rtms_stream_id"] = meeting.StreamId });
        var streamState = await session.Signaling.ExpectAsync(20);
        Assert.Equal((meeting.StreamId, 1), ((string)streamState["rtms_stream_id"]!, (int)streamState["state"]!));
        await meeting.Faults.PauseAsync();
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 19, ["rtms_stream_id"] = meeting.StreamId });
        Assert.Equal(5, (int)(await session.Signaling.ExpectAsync(20))["state"]!);
    }

    [Fact]
    public async Task Stream_close_request_is_answered_then_the_stream_terminates_with_reason_20()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 21, ["rtms_stream_id"] = meeting.StreamId });
        var answer = await session.Signaling.ExpectAsync(22);
        Assert.Equal((0, "OK", meeting.StreamId), ((int)answer["status_code"]!, (string)answer["reason"]!, (string)answer["rtms_stream_id"]!));
        var terminated = await session.Signaling.ExpectAsync(m => RawRtmsClient.MsgType(m) == 8 && (int)m["state"]! == 4, "TERMINATED");
        Assert.Equal(20, (int)terminated["reason"]!);
        var stopped = await _harness.Inbox.ExpectAsync("rtms_stopped", meeting.StreamId);
        Assert.Equal(20, (int)stopped.Field("stop_reason")!);
        await session.Signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, session.Signaling.CloseStatus);
        Assert.Equal(MeetingState.Stopped, meeting.State);
    }

    [Fact]
    public async Task A_client_that_drops_its_sockets_right_after_the_close_response_gets_no_rtms_interrupted()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 21, ["rtms_stream_id"] = meeting.StreamId });
        await session.Signaling.ExpectAsync(22);
        session.Signaling.Abort();
        session.Media.Abort();
        var webhooks = new List<ReceivedWebhook>();
        while (webhooks.Count == 0 || !webhooks[^1].Event.EndsWith("rtms_stopped", StringComparison.Ordinal))
        {
            webhooks.Add(await _harness.Inbox.ExpectAsync(w => (string?)w.Field("rtms_stream_id") == meeting.StreamId, "a webhook of the stream"));
        }
        Assert.Equal(["meeting.rtms_started", "meeting.rtms_stopped"], webhooks.Select(w => w.Event).Prepend(session.Started.Event));
        Assert.Equal(20, (int)webhooks[^1].Field("stop_reason")!);
        Assert.Equal(0, meeting.Counters.Interruptions);
        Assert.Equal(MeetingState.Stopped, meeting.State);
    }

    [Fact]
    public async Task A_handshake_re_sent_on_the_live_signaling_socket_is_answered_with_the_media_urls()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        var request = SimulatorHarness.SignalingRequest(meeting);
        request["sequence"] = 7;
        await session.Signaling.SendAsync(request);
        var answer = await session.Signaling.ExpectAsync(2);
        Assert.Equal((0, 7), ((int)answer["status_code"]!, (int)answer["sequence"]!));
        Assert.Equal(["all", "audio", "transcript", "video"], answer["media_server"]!["server_urls"]!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(0, _harness.Simulator.Counters.DuplicateSignalingFlagged);
        Assert.Equal(2, meeting.Counters.SignalingHandshakes);
        Assert.Equal(1, meeting.Counters.LiveSignalingConnections);
        session.Media.Clear();
        await session.Media.ExpectAsync(14); // the same connection: media keeps flowing
        Assert.Equal(MeetingState.Streaming, meeting.State);
    }

    [Fact]
    public async Task Unreadable_and_unknown_client_messages_are_ignored()
    {
        await using var session = await _harness.StreamingAsync();
        await session.Signaling.SendRawAsync("{ not json");
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 99 });
        await session.Meeting.WaitForAsync(c => c.ClientMessagesRejected == 1);
        await session.Signaling.SendAsync(new JsonObject { ["msg_type"] = 19, ["rtms_stream_id"] = session.Meeting.StreamId });
        await session.Signaling.ExpectAsync(20);
        await session.Media.ExpectAsync(14);
    }
}
