using RtmsGateway.Api.V1;
using RtmsGateway.Observability;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// MEDIA_CONNECTION_INTERRUPTED (event 7) as Zoom sends it — only a <c>timestamp</c>, together with STREAM_STATE_UPDATE 2
/// reason 14 — when one of several media sockets is lost: only that socket reconnects (with the failover guide's backoff),
/// the others keep flowing without a gap; a socket Zoom lost without closing it is found by its silence.
/// </summary>
public sealed class MediaInterruptionTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(StreamReading.DefaultTimeout).Token;

    private static async Task<(GatewayUnderTest Gateway, SimulatedMeeting Meeting)> StartAsync(string? keepAliveTimeout = null)
    {
        var settings = new Dictionary<string, string?> { ["Rtms:MediaConnectionMode"] = "Split", ["Logging:LogLevel:Default"] = "Warning" };
        if (keepAliveTimeout is not null)
        {
            settings["Rtms:KeepAliveTimeout"] = keepAliveTimeout;
        }
        var gateway = await GatewayUnderTest.StartAsync(settings: settings);
        return (gateway, await gateway.StartMeetingAsync());
    }

    private static SubscriptionTarget Target(SimulatedMeeting meeting) => new() { RtmsStreamId = meeting.StreamId };

    [Fact]
    public async Task Losing_the_video_socket_reconnects_only_it_while_audio_keeps_flowing_without_a_gap()
    {
        var (gateway, meeting) = await StartAsync();
        await using var _ = gateway;
        using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target(meeting) });
        using var video = gateway.Client.SubscribeVideo(new SubscribeVideoRequest { Target = Target(meeting) });
        var before = await StreamReading.ReadAsync(audio.ResponseStream, 10, r => r.Frame is not null);
        await StreamReading.ReadAsync(video.ResponseStream, 1, r => r.Frame is not null);
        var handshakes = meeting.Counters.MediaHandshakes;
        var interruptions = meeting.Counters.Interruptions;

        await meeting.Faults.DropMediaAsync(MediaDataType.Video);
        // Audio flows while video is down and reconnecting, and after it is back.
        var during = await StreamReading.ReadAsync(audio.ResponseStream, 25, r => r.Frame is not null);
        await meeting.WaitForAsync(c => c.MediaHandshakes > handshakes, Timeout);
        await StreamReading.ReadAsync(video.ResponseStream, 1, r => r.Frame is not null);
        var after = await StreamReading.ReadAsync(audio.ResponseStream, 25, r => r.Frame is not null);

        // Zoom reported the one interruption it saw (event 7 + state 2/14), and nothing more was interrupted.
        Assert.Equal(interruptions + 1, meeting.Counters.Interruptions);
        // Exactly one socket reopened (the video one); signaling untouched.
        Assert.Equal(handshakes + 1, meeting.Counters.MediaHandshakes);
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
        AssertUnbroken(before.Concat(during).Concat(after));
        var session = (await gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal(1u, session.Reconnects);
        Assert.True(session.Media.Audio && session.Media.Video);
    }

    [Fact]
    public async Task A_video_socket_zoom_lost_without_closing_it_is_cut_for_its_silence_and_reopened_alone()
    {
        // Watchdog 8 s, so the interruption probe (half of it: 4 s) is what finds the silent socket.
        var (gateway, meeting) = await StartAsync(keepAliveTimeout: "00:00:08");
        await using var _ = gateway;
        using var audio = gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target(meeting) });
        using var video = gateway.Client.SubscribeVideo(new SubscribeVideoRequest { Target = Target(meeting) });
        var before = await StreamReading.ReadAsync(audio.ResponseStream, 10, r => r.Frame is not null);
        await StreamReading.ReadAsync(video.ResponseStream, 1, r => r.Frame is not null);
        var handshakes = meeting.Counters.MediaHandshakes;

        meeting.Faults.StallMedia(MediaDataType.Video);
        var lost = await gateway.Logs.WaitForAsync(l => l.EventId.Id == LogEventIds.MediaLost);
        await meeting.WaitForAsync(c => c.MediaHandshakes > handshakes, Timeout);
        await StreamReading.ReadAsync(video.ResponseStream, 1, r => r.Frame is not null);
        var after = await StreamReading.ReadAsync(audio.ResponseStream, 25, r => r.Frame is not null);

        Assert.Contains("Video", lost.Message, StringComparison.Ordinal);
        Assert.Contains("Zoom reported a media connection interrupted (event 7); nothing arrived on this socket", lost.Message, StringComparison.Ordinal);
        Assert.Single(gateway.Logs.Lines, l => l.EventId.Id == LogEventIds.MediaLost);
        Assert.Equal(handshakes + 1, meeting.Counters.MediaHandshakes);
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
        AssertUnbroken(before.Concat(after));
    }

    /// <summary>No gap notice, and one unbroken run of sequence numbers.</summary>
    private static void AssertUnbroken(IEnumerable<SubscribeAudioResponse> responses)
    {
        var frames = responses.ToList();
        Assert.DoesNotContain(frames, r => r.Gap is not null);
        var sequences = frames.Select(r => r.Frame.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
    }
}
