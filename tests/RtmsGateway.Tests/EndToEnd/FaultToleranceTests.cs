using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>Every fault the simulator can inject is survived with the behaviour of the protocol reference (§5).</summary>
public sealed class FaultToleranceTests : IAsyncLifetime
{
    private GatewayUnderTest _gateway = null!;
    private SimulatedMeeting _meeting = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync();
        _meeting = await _gateway.StartMeetingAsync(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private SubscriptionTarget Target => new() { RtmsStreamId = _meeting.StreamId };

    /// <summary>Events from the start of the session, so nothing published before the call registered is missed.</summary>
    private SubscriptionTarget History => new() { RtmsStreamId = _meeting.StreamId, FromStart = true };

    private static CancellationToken Timeout => new CancellationTokenSource(StreamReading.DefaultTimeout).Token;

    /// <summary>Reads audio until <paramref name="count"/> frames arrived after the call started.</summary>
    private async Task<List<AudioFrame>> AudioAsync(AsyncServerStreamingCall<SubscribeAudioResponse> call, int count) =>
        [.. (await StreamReading.ReadAsync(call.ResponseStream, count, r => r.Frame is not null)).Where(r => r.Frame is not null).Select(r => r.Frame)];

    [Fact]
    public async Task Keep_alives_are_answered_on_every_socket()
    {
        await _meeting.WaitForAsync(c => c.KeepAlivesAnswered >= 4, Timeout);
        // Answered with the exact timestamp (what KeepAlivesAnswered counts) and never dropped for silence. Whether each
        // answer beat the next 500 ms ping is a timing of this machine, not behaviour, so late answers are not asserted.
        Assert.Equal(0, _meeting.Counters.KeepAliveTimeouts);
        Assert.Equal(1, _meeting.Counters.SignalingHandshakes);
    }

    [Fact]
    public async Task Dropped_signaling_is_reconnected_and_media_resumes()
    {
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        using var events = _gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = History });
        await AudioAsync(audio, 5);
        await _meeting.Faults.DropSignalingAsync();
        await _meeting.WaitForAsync(c => c.SignalingHandshakes >= 2, Timeout);
        await _meeting.WaitForStreamingAsync(Timeout);
        Assert.NotEmpty(await AudioAsync(audio, 10));
        var upstream = await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.UpstreamStateChanged?.State == SessionState.Reconnecting);
        Assert.NotEmpty(upstream);
        await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.UpstreamStateChanged?.State == SessionState.Streaming);
        Assert.Equal(0, _gateway.Simulator.Counters.DuplicateSignalingFlagged);
    }

    [Fact]
    public async Task A_dropped_media_socket_is_reconnected_alone()
    {
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        await AudioAsync(audio, 5);
        var mediaBefore = _meeting.Counters.MediaHandshakes;
        await _meeting.Faults.DropMediaAsync(null);
        await _meeting.WaitForAsync(c => c.MediaHandshakes > mediaBefore, Timeout);
        Assert.NotEmpty(await AudioAsync(audio, 10));
        Assert.Equal(1, _meeting.Counters.SignalingHandshakes);
    }

    [Fact]
    public async Task A_silent_signaling_socket_is_detected_by_the_watchdog_and_replaced()
    {
        _meeting.Faults.SuppressKeepAlives(signaling: true, media: false);
        await _meeting.WaitForAsync(c => c.SignalingHandshakes >= 2, Timeout);
        _meeting.Faults.SuppressKeepAlives(signaling: false, media: false);
        await _meeting.WaitForStreamingAsync(Timeout);
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        Assert.NotEmpty(await AudioAsync(audio, 5));
    }

    [Fact]
    public async Task Malformed_frames_are_skipped_without_dropping_the_connection()
    {
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        await AudioAsync(audio, 3);
        await _meeting.Faults.SendMalformedFrameAsync();
        await _meeting.Faults.SendInvalidBase64Async();
        var after = await AudioAsync(audio, 20);
        Assert.All(after, f => Assert.Equal(640, f.Data.Length));
        Assert.Equal(1, _meeting.Counters.SignalingHandshakes);
        Assert.Equal(1, _meeting.Counters.MediaHandshakes);
    }

    [Fact]
    public async Task Fragmented_and_binary_frames_are_reassembled()
    {
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        using var video = _gateway.Client.SubscribeVideo(new SubscribeVideoRequest { Target = Target });
        _meeting.Faults.FragmentFrames = true;
        _meeting.Faults.BinaryFrames = true;
        var frames = await AudioAsync(audio, 20);
        Assert.All(frames, f => Assert.Equal(640, f.Data.Length));
        var images = (await StreamReading.ReadAsync(video.ResponseStream, 2, r => r.Frame is not null)).Where(r => r.Frame is not null).ToList();
        Assert.All(images, i => Assert.Equal(0xD9, i.Frame.Data[^1]));
    }

    [Fact]
    public async Task A_duplicate_rejection_is_retried_until_accepted()
    {
        _meeting.Faults.RejectNextSignalingAsDuplicate();
        await _meeting.Faults.DropSignalingAsync();
        await _meeting.WaitForAsync(c => c.SignalingHandshakes >= 3, Timeout);
        await _meeting.WaitForStreamingAsync(Timeout);
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        Assert.NotEmpty(await AudioAsync(audio, 5));
    }

    [Fact]
    public async Task Pause_and_resume_are_reported_and_media_stops_meanwhile()
    {
        using var events = _gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = History });
        await _meeting.Faults.PauseAsync();
        await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.StreamStateChanged?.State == ZoomStreamState.Paused);
        var paused = await _gateway.Client.ListSessionsAsync(new ListSessionsRequest());
        Assert.Equal(SessionState.Paused, paused.Sessions.Single().State);
        var framesWhilePaused = _meeting.Counters.AudioFramesSent;

        await _meeting.Faults.ResumeAsync();
        await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event?.StreamStateChanged?.State == ZoomStreamState.Resumed);
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        Assert.NotEmpty(await AudioAsync(audio, 5));
        Assert.True(_meeting.Counters.AudioFramesSent > framesWhilePaused);
        var resumed = await _gateway.Client.ListSessionsAsync(new ListSessionsRequest());
        Assert.Equal(SessionState.Streaming, resumed.Sessions.Single().State);
    }

    [Fact]
    public async Task A_failover_webhook_moves_the_connection_and_media_continues()
    {
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        await AudioAsync(audio, 5);
        await _meeting.Faults.FailoverAsync();
        await _meeting.WaitForAsync(c => c.SignalingHandshakes >= 2, Timeout);
        Assert.NotEmpty(await AudioAsync(audio, 10));
        var session = (await _gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.True(session.Reconnects >= 1);
        Assert.Equal(0, _gateway.Simulator.Counters.DuplicateSignalingFlagged);
    }

    [Fact]
    public async Task Stopping_mid_stream_ends_subscriptions_with_the_reason()
    {
        using var transcripts = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target });
        await StreamReading.ReadAsync(transcripts.ResponseStream, 1, r => r.Segment is not null);
        await _meeting.StopAsync(StopReason.UserLeft, CancellationToken.None);
        var tail = await StreamReading.ReadToEndAsync(transcripts.ResponseStream);
        Assert.Equal(ZoomStopReason.UserLeft, tail.Last().Ended.StopReason);
        var session = (await _gateway.Client.ListSessionsAsync(new ListSessionsRequest { IncludeStopped = true })).Sessions.Single();
        Assert.Equal(SessionState.Stopped, session.State);
    }

    [Fact]
    public async Task A_stop_that_calls_for_a_restart_is_restarted_and_ends_when_zoom_refuses()
    {
        using var transcripts = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target });
        await StreamReading.ReadAsync(transcripts.ResponseStream, 1, r => r.Segment is not null);
        // 13 SIGNAL_CONNECTION_INTERRUPTED: the failover guide says restart (§3.8). This stream is gone, so Zoom refuses it.
        await _meeting.StopAsync(StopReason.SignalConnectionInterrupted, CancellationToken.None);
        var tail = await StreamReading.ReadToEndAsync(transcripts.ResponseStream);
        Assert.Equal(ZoomStopReason.SignalConnectionInterrupted, tail.Last().Ended.StopReason);
        Assert.Equal(2, _meeting.Counters.SignalingHandshakes);
        Assert.Equal(1, _meeting.Counters.SignalingRefused);
    }

    [Fact]
    public async Task A_final_stop_is_not_restarted()
    {
        using var transcripts = _gateway.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target });
        await StreamReading.ReadAsync(transcripts.ResponseStream, 1, r => r.Segment is not null);
        await _meeting.StopAsync(StopReason.MeetingEnded, CancellationToken.None);
        var tail = await StreamReading.ReadToEndAsync(transcripts.ResponseStream);
        Assert.Equal(ZoomStopReason.MeetingEnded, tail.Last().Ended.StopReason);
        Assert.Equal(1, _meeting.Counters.SignalingHandshakes);
    }
}
