using System.Text.Json.Nodes;

namespace RtmsGateway.Simulator.Tests;

/// <summary>Keep-alives (§3.9): both sockets are pinged every interval; a socket that leaves three unanswered is dropped.</summary>
public sealed class KeepAliveTests : IAsyncLifetime
{
    private SimulatorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SimulatorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Pings_carry_a_millisecond_timestamp_and_answers_are_counted()
    {
        await using var session = await _harness.StreamingAsync();
        var ping = await session.Signaling.ExpectAsync(12);
        Assert.InRange((long)ping["timestamp"]!, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        await session.Media.ExpectAsync(12);
        await session.Meeting.WaitForAsync(c => c.KeepAlivesAnswered >= 6);
        Assert.Equal(0, session.Meeting.Counters.KeepAlivesMissed);
        Assert.Equal(0, session.Meeting.Counters.KeepAliveTimeouts);
    }

    [Fact]
    public async Task A_signaling_client_that_ignores_three_pings_is_dropped_and_the_stream_interrupted()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, _) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        signaling.AnswerKeepAlives = false;
        await signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(3, signaling.PingsReceived);
        Assert.Equal(1, meeting.Counters.KeepAliveTimeouts);
        Assert.Equal(3, meeting.Counters.KeepAlivesMissed);
        Assert.Equal(1, _harness.Simulator.Counters.KeepAliveTimeouts);
        await _harness.Inbox.ExpectAsync("rtms_interrupted", meeting.StreamId);
        Assert.Equal(0, meeting.Counters.LiveSignalingConnections);
    }

    [Fact]
    public async Task A_stream_whose_client_ignored_three_pings_and_never_came_back_ends_with_24()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.SignalingReconnectWindow = TimeSpan.FromMilliseconds(300));
        await using var session = await harness.StreamingAsync();
        session.Signaling.AnswerKeepAlives = false;
        await session.Signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        await harness.Inbox.ExpectAsync("rtms_interrupted", session.Meeting.StreamId);
        var stopped = await harness.Inbox.ExpectAsync("rtms_stopped", session.Meeting.StreamId);
        Assert.Equal(24, (int)stopped.Field("stop_reason")!); // KEEP_ALIVE_TIMEOUT, not 19
        Assert.Equal(1, session.Meeting.Counters.KeepAliveTimeouts);
    }

    [Fact]
    public async Task A_media_socket_that_ignored_pings_and_was_not_replaced_ends_the_stream_with_24()
    {
        await using var harness = await SimulatorHarness.StartAsync(o => o.MediaReconnectWindow = TimeSpan.FromMilliseconds(300));
        await using var session = await harness.StreamingAsync();
        session.Media.AnswerKeepAlives = false;
        var terminated = await session.Signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 8 && (int)x["state"]! == 4, "TERMINATED");
        Assert.Equal(24, (int)terminated["reason"]!);
        Assert.Equal(24, (int)(await harness.Inbox.ExpectAsync("rtms_stopped", session.Meeting.StreamId)).Field("stop_reason")!);
    }

    [Fact]
    public async Task A_media_socket_that_ignores_pings_is_dropped_and_reported_on_signaling()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, response) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        var (media, _) = await SimulatorHarness.MediaAsync(meeting, signaling, response, "audio", 1);
        await using var m = media;
        media.AnswerKeepAlives = false;
        await media.Closed.WaitAsync(RawRtmsClient.Timeout);
        await signaling.ExpectEventAsync(7);
        var state = await signaling.ExpectAsync(x => RawRtmsClient.MsgType(x) == 8 && (int)x["state"]! == 2, "INTERRUPTED");
        Assert.Equal(14, (int)state["reason"]!);
        Assert.Equal(1, meeting.Counters.KeepAliveTimeouts);
        Assert.Equal(1, meeting.Counters.LiveSignalingConnections); // signaling is fine
    }

    [Fact]
    public async Task An_answer_with_the_wrong_timestamp_does_not_count()
    {
        var (meeting, _) = await _harness.StartMeetingAsync();
        var (signaling, _) = await _harness.SignalAsync(meeting);
        await using var s = signaling;
        signaling.AnswerKeepAlives = false;
        var ping = await signaling.ExpectAsync(12);
        await signaling.SendAsync(new JsonObject { ["msg_type"] = 13, ["timestamp"] = (long)ping["timestamp"]! + 1 });
        await signaling.Closed.WaitAsync(RawRtmsClient.Timeout);
        Assert.Equal(0, meeting.Counters.KeepAlivesAnswered);
        Assert.Equal(1, meeting.Counters.KeepAliveTimeouts);
    }

    [Fact]
    public async Task Suppressed_pings_stop_on_the_chosen_sockets_and_resume()
    {
        await using var session = await _harness.StreamingAsync();
        var meeting = session.Meeting;
        meeting.Faults.SuppressKeepAlives(signaling: true, media: false);
        await session.Signaling.RoundTripAsync(meeting.StreamId); // a ping queued before is out of the way
        Assert.Contains(await session.Media.ReadUntilAsync(x => RawRtmsClient.MsgType(x) == 14, 40, "audio"), x => RawRtmsClient.MsgType(x) == 12);
        Assert.DoesNotContain(await session.Signaling.RoundTripAsync(meeting.StreamId), x => RawRtmsClient.MsgType(x) == 12);

        meeting.Faults.SuppressKeepAlives(signaling: true, media: true);
        await session.Media.ReadUntilAsync(x => RawRtmsClient.MsgType(x) == 14, 5, "audio");
        var sent = meeting.Counters.KeepAlivesSent;
        Assert.DoesNotContain(await session.Media.ReadUntilAsync(x => RawRtmsClient.MsgType(x) == 14, 40, "audio"), x => RawRtmsClient.MsgType(x) == 12);
        Assert.Equal(sent, meeting.Counters.KeepAlivesSent);

        meeting.Faults.SuppressKeepAlives(signaling: false, media: false);
        await session.Signaling.ExpectAsync(12);
        await session.Media.ExpectAsync(12);
        Assert.Equal(0, meeting.Counters.KeepAliveTimeouts);
    }
}
