using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>Media sockets (§5.2, §4.5): each one reopens alone, with its own backoff, or at once when Zoom says it is interrupted.</summary>
public sealed class MediaLinkTests
{
    [Fact]
    public void A_lost_media_socket_reopens_alone_with_its_own_backoff()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        var mark = stream.Effects.Mark();

        stream.MediaEnded(0, "audio socket closed");
        var reopen = stream.LastTimer(StreamTimerKind.MediaReopen);
        Assert.Equal(0, reopen.Which.Link);
        Assert.InRange(reopen.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
        Assert.Contains(new Effect.Reconnect("media"), stream.Effects.Since(mark));
        stream.Advance(reopen.Delay - TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Open);
        stream.Advance(TimeSpan.FromMilliseconds(1));

        var opened = Assert.Single(stream.Effects.Since(mark).OfType<Effect.Open>());
        Assert.Equal((1, 0, MachineUnderTest.Audio), (opened.Attempt, opened.Link, opened.Plan));
        // Signaling and the other socket are left alone.
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Close or Effect.Dial or Effect.Interrupt);
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Reconnect { Socket: "signaling" });
        Assert.Equal(StreamPhase.Live, stream.Phase);
        stream.MediaReady(0);
        Assert.Equal(UpstreamState.Streaming, stream.Effects.Reports.Last());
    }

    [Fact]
    public void Each_media_socket_has_its_own_backoff_and_starts_over_once_it_is_open_again()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);

        var audio = new List<TimeSpan>();
        stream.MediaEnded(0);
        for (var i = 0; i < 3; i++)
        {
            audio.Add(stream.ElapseLast(StreamTimerKind.MediaReopen).Delay);
            stream.MediaFailed(0, MachineUnderTest.ConnectionRefused());
        }
        audio.Add(stream.LastTimer(StreamTimerKind.MediaReopen).Delay);
        Assert.All(new double[] { 3, 6, 12, 24 }.Zip(audio), pair =>
            Assert.InRange(pair.Second, TimeSpan.FromSeconds(pair.First / 2), TimeSpan.FromSeconds(pair.First)));

        // The video socket's first loss waits its own first delay, not audio's fifth.
        stream.MediaEnded(1);
        var video = stream.LastTimer(StreamTimerKind.MediaReopen);
        Assert.Equal(1, video.Which.Link);
        Assert.InRange(video.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));

        // Audio open again: its next loss starts over at the first delay.
        stream.Advance(TimeSpan.FromSeconds(24));
        stream.MediaReady(0);
        stream.MediaEnded(0);
        Assert.InRange(stream.LastTimer(StreamTimerKind.MediaReopen).Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Zoom_reporting_the_media_connection_interrupted_reopens_media_at_once_without_backoff()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.MediaInterruptionReported(stream.Attempt));
        Assert.Equal([0, 1], stream.Effects.Since(mark).OfType<Effect.Interrupt>().Select(i => i.Link));

        stream.MediaEnded(0, "interrupted");
        stream.MediaEnded(1, "interrupted");
        Assert.Equal([0, 1], stream.Effects.Since(mark).OfType<Effect.Open>().Select(o => o.Link));
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Timer or Effect.Close or Effect.Dial);
    }

    [Fact]
    public void A_stream_state_interrupted_with_reason_14_reopens_media_at_once_without_backoff()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var mark = stream.Effects.Mark();

        stream.StreamState(RtmsStreamState.Interrupted, StopReason.DataConnectionInterrupted);
        Assert.Single(stream.Effects.Since(mark).OfType<Effect.Interrupt>());
        stream.MediaEnded(0, "interrupted");

        Assert.Single(stream.Effects.Since(mark).OfType<Effect.Open>());
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Timer or Effect.Close or Effect.Dial);
    }

    [Fact]
    public void An_interrupted_media_socket_that_fails_to_close_cleanly_is_still_reopened_at_once()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.Handle(new StreamEvent.MediaInterruptionReported(stream.Attempt));
        var mark = stream.Effects.Mark();
        stream.MediaFailed(0, MachineUnderTest.ConnectionRefused());

        Assert.Single(stream.Effects.Since(mark).OfType<Effect.Open>());
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Timer);
    }

    [Theory]
    [InlineData((int)StopReason.SignalConnectionInterrupted)]
    [InlineData((int)StopReason.Undefined)]
    public void A_stream_state_interrupted_for_another_reason_leaves_media_alone(int reason)
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var mark = stream.Effects.Mark();
        stream.StreamState(RtmsStreamState.Interrupted, (StopReason)reason);
        Assert.Empty(stream.Effects.Since(mark));
    }

    [Fact]
    public void Zoom_reporting_media_interrupted_cuts_a_reopen_backoff_short()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.MediaEnded(0);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.MediaInterruptionReported(stream.Attempt));

        Assert.Single(stream.Effects.Since(mark).OfType<Effect.Open>());
        Assert.Empty(stream.Effects.Since(mark).OfType<Effect.Interrupt>());
        // The backoff timer that was pending then does nothing.
        var opens = stream.Effects.All<Effect.Open>().Count();
        stream.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(opens, stream.Effects.All<Effect.Open>().Count());
    }

    [Theory]
    [InlineData((int)StatusCode.MediaTypeAudioNotSupport, MediaDataType.Audio)]
    [InlineData((int)StatusCode.MediaTypeVideoNotSupport, MediaDataType.Video)]
    [InlineData((int)StatusCode.MediaTypeTranscriptNotSupport, MediaDataType.Transcript)]
    public void A_type_refused_on_a_unified_socket_is_dropped_from_it_and_the_socket_reopens_at_once(int status, MediaDataType refused)
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Opened(MachineUnderTest.Unified);
        var mark = stream.Effects.Mark();

        stream.MediaFailed(0, MachineUnderTest.Refusal((StatusCode)status, signaling: false));

        var reopened = Assert.IsType<Effect.Open>(Assert.Single(stream.Effects.Since(mark)));
        Assert.Equal(MachineUnderTest.UnifiedTypes & ~refused, reopened.Plan.MediaType);
        Assert.Equal(MachineUnderTest.Unified.Url, reopened.Plan.Url);
        stream.MediaReady(0);
        Assert.Equal(UpstreamState.Streaming, stream.Effects.Reports.Last());
    }

    [Fact]
    public void Refusals_of_two_types_on_a_unified_socket_narrow_it_twice()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Opened(MachineUnderTest.Unified);
        stream.MediaFailed(0, MachineUnderTest.Refusal(StatusCode.MediaTypeVideoNotSupport, signaling: false));
        stream.MediaFailed(0, MachineUnderTest.Refusal(StatusCode.MediaTypeTranscriptNotSupport, signaling: false));

        Assert.Equal(MediaDataType.Audio, stream.LastOpen(0).Plan.MediaType);
    }

    [Theory]
    [InlineData((int)StatusCode.MediaTypeVideoNotSupport)]
    [InlineData((int)StatusCode.InvalidMediaVideoCodec)]
    public void A_socket_whose_only_type_is_refused_is_abandoned_and_the_stream_streams_without_it(int status)
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Opened(MachineUnderTest.Audio, MachineUnderTest.Video, MachineUnderTest.Transcript);
        stream.MediaReady(0);
        stream.MediaReady(2);
        Assert.DoesNotContain(UpstreamState.Streaming, stream.Effects.Reports);
        var mark = stream.Effects.Mark();

        stream.MediaFailed(1, MachineUnderTest.Refusal((StatusCode)status, signaling: false));

        Assert.Equal(UpstreamState.Streaming, Assert.IsType<Effect.Report>(Assert.Single(stream.Effects.Since(mark))).State);
        stream.Advance(TimeSpan.FromMinutes(1));
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Open or Effect.Timer);
    }

    [Fact]
    public void A_socket_abandoned_before_the_others_are_ready_lets_them_report_streaming_when_they_are()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Opened(MachineUnderTest.Audio, MachineUnderTest.Video);
        stream.MediaFailed(1, MachineUnderTest.Refusal(StatusCode.MediaTypeVideoNotSupport, signaling: false));
        Assert.DoesNotContain(UpstreamState.Streaming, stream.Effects.Reports);

        stream.MediaReady(0);

        Assert.Equal(UpstreamState.Streaming, stream.Effects.Reports.Last());
    }

    [Fact]
    public void Media_news_from_an_older_signaling_attempt_is_ignored()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        var old = stream.LastOpen(0);
        stream.SignalingEnded("dropped");
        stream.ElapseLast(StreamTimerKind.Redial);
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.MediaEnded(old.Attempt, 0, old.Generation, "old socket closed"));
        stream.Handle(new StreamEvent.MediaFailed(old.Attempt, 1, old.Generation, MachineUnderTest.ConnectionRefused()));
        stream.Handle(new StreamEvent.MediaOpened(old.Attempt, 0, old.Generation));
        stream.Handle(new StreamEvent.MediaInterruptionReported(old.Attempt));
        stream.Handle(new StreamEvent.StreamStateReported(old.Attempt, RtmsStreamState.Terminated, StopReason.MeetingEnded));

        Assert.Empty(stream.Effects.Since(mark));
        Assert.Equal(StreamPhase.Live, stream.Phase);
    }

    [Fact]
    public void Media_news_from_an_older_socket_of_the_same_link_is_ignored()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var first = stream.LastOpen(0);
        stream.MediaEnded(0);
        var staleTimer = stream.ElapseLast(StreamTimerKind.MediaReopen);
        stream.MediaReady(0);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.MediaEnded(first.Attempt, 0, first.Generation, "old socket closed"));
        stream.Handle(new StreamEvent.MediaFailed(first.Attempt, 0, first.Generation, MachineUnderTest.ConnectionRefused()));
        stream.Handle(new StreamEvent.TimerElapsed(staleTimer.Which, staleTimer.Generation));

        Assert.Empty(stream.Effects.Since(mark));
    }

    [Fact]
    public void A_stale_media_reopen_timer_does_not_open_a_socket_early()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.MediaEnded(0);
        var first = stream.LastTimer(StreamTimerKind.MediaReopen);
        stream.ElapseLast(StreamTimerKind.MediaReopen);
        stream.MediaFailed(0, MachineUnderTest.ConnectionRefused());
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.TimerElapsed(first.Which, first.Generation));

        Assert.Empty(stream.Effects.Since(mark));
    }

    [Fact]
    public void The_media_sockets_open_only_when_signaling_is_open_and_Streaming_waits_for_all_of_them()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        Assert.Empty(stream.Effects.All<Effect.Open>());
        stream.Opened(MachineUnderTest.Audio, MachineUnderTest.Video);

        Assert.Equal([0, 1], stream.Effects.All<Effect.Open>().Select(o => o.Link));
        Assert.All(stream.Effects.All<Effect.Open>(), o => Assert.Equal(1, o.Attempt));
    }

    [Fact]
    public void A_signaling_response_without_media_urls_ends_the_stream()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Opened();
        Assert.Equal(StopReason.Undefined, stream.Finished.Reason);
    }
}
