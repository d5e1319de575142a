using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.EndToEnd;

/// <summary>
/// MEDIA_CONNECTION_INTERRUPTED (event 7) as Zoom sends it — only a <c>timestamp</c>, together with STREAM_STATE_UPDATE 2
/// reason 14 — when one of several media sockets is lost: only that socket reconnects (with the failover guide's backoff),
/// the others keep flowing without a gap.
/// </summary>
public sealed class MediaInterruptionTests : IAsyncLifetime
{
    private GatewayUnderTest _gateway = null!;
    private SimulatedMeeting _meeting = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync(settings: new Dictionary<string, string?> { ["Rtms:MediaConnectionMode"] = "Split" });
        _meeting = await _gateway.StartMeetingAsync();
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private SubscriptionTarget Target => new() { RtmsStreamId = _meeting.StreamId };

    private static CancellationToken Timeout => new CancellationTokenSource(StreamReading.DefaultTimeout).Token;

    [Fact]
    public async Task Losing_the_video_socket_reconnects_only_it_while_audio_keeps_flowing_without_a_gap()
    {
        using var audio = _gateway.Client.SubscribeAudio(new SubscribeAudioRequest { Target = Target });
        using var video = _gateway.Client.SubscribeVideo(new SubscribeVideoRequest { Target = Target });
        using var events = _gateway.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Target });
        var before = await StreamReading.ReadAsync(audio.ResponseStream, 10, r => r.Frame is not null);
        await StreamReading.ReadAsync(video.ResponseStream, 1, r => r.Frame is not null);
        var handshakes = _meeting.Counters.MediaHandshakes;
        var interruptions = _meeting.Counters.Interruptions;

        await _meeting.Faults.DropMediaAsync(MediaDataType.Video);
        // Audio flows while video is down and reconnecting, and after it is back.
        var during = await StreamReading.ReadAsync(audio.ResponseStream, 25, r => r.Frame is not null);
        await _meeting.WaitForAsync(c => c.MediaHandshakes > handshakes, Timeout);
        await StreamReading.ReadAsync(video.ResponseStream, 1, r => r.Frame is not null);
        var after = await StreamReading.ReadAsync(audio.ResponseStream, 25, r => r.Frame is not null);

        // Zoom reported the one interruption it saw (event 7 + state 2/14), and nothing more was interrupted.
        Assert.Equal(interruptions + 1, _meeting.Counters.Interruptions);
        // Exactly one socket reopened (the video one); signaling untouched.
        Assert.Equal(handshakes + 1, _meeting.Counters.MediaHandshakes);
        Assert.Equal(1, _meeting.Counters.SignalingHandshakes);
        // Audio: no gap notice, one unbroken run of sequence numbers across the interruption.
        var frames = before.Concat(during).Concat(after).ToList();
        Assert.DoesNotContain(frames, r => r.Gap is not null);
        var sequences = frames.Select(r => r.Frame.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
        var session = (await _gateway.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Single();
        Assert.Equal(1u, session.Reconnects);
        Assert.True(session.Media.Audio && session.Media.Video);
    }
}
