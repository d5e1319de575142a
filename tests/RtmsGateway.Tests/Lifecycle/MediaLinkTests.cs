using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>Media sockets (§5.2, §4.5): each one reopens alone, with its own backoff, also when Zoom says a media connection is
/// interrupted (only the sockets that failed reconnect; the others keep flowing).</summary>
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
    public void Zoom_reporting_a_media_connection_interrupted_reopens_only_the_socket_that_failed_with_its_backoff()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        var mark = stream.Effects.Mark();

        stream.MediaEnded(1, "video socket closed");
        stream.Handle(new StreamEvent.MediaInterruptionReported(stream.Attempt));

        // Audio flows on: not cut, not probed, not reopened. Video waits its first backoff delay (3 s nominal), not less.
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Interrupt or Effect.Close or Effect.Dial or Effect.Open);
        var reopen = stream.LastTimer(StreamTimerKind.MediaReopen);
        Assert.Equal(1, reopen.Which.Link);
        Assert.InRange(reopen.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
        stream.Advance(reopen.Delay);
        var opened = Assert.Single(stream.Effects.Since(mark).OfType<Effect.Open>());
        Assert.Equal((1, MachineUnderTest.Video), (opened.Link, opened.Plan));
    }

    [Fact]
    public void A_stream_state_interrupted_with_reason_14_reopens_only_the_socket_that_failed()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        stream.MediaEnded(0, "audio socket closed");
        var mark = stream.Effects.Mark();

        stream.StreamState(RtmsStreamState.Interrupted, StopReason.DataConnectionInterrupted);

        Assert.Empty(stream.Effects.Since(mark));
        stream.ElapseLast(StreamTimerKind.MediaReopen);
        Assert.Equal([0], stream.Effects.Since(mark).OfType<Effect.Open>().Select(o => o.Link));
    }

    [Fact]
    public void Zoom_reporting_media_interrupted_before_any_socket_here_failed_probes_each_open_socket_for_silence_after_a_window()
    {
        var stream = new MachineUnderTest(new RtmsGateway.Configuration.RtmsClientOptions { KeepAliveTimeout = TimeSpan.FromSeconds(65) });
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video, MachineUnderTest.Transcript);
        var mark = stream.Effects.Mark();
        var reportedAt = stream.Time.GetTimestamp();

        stream.Handle(new StreamEvent.MediaInterruptionReported(stream.Attempt));
        // Zoom reports the same loss again as stream state 2/14: one probe answers both.
        stream.StreamState(RtmsStreamState.Interrupted, StopReason.DataConnectionInterrupted);
        var probe = Assert.Single(stream.Effects.Since(mark).OfType<Effect.Timer>(), t => t.Which.Kind == StreamTimerKind.MediaProbe);
        // Longer than Zoom's 10 s keep-alive interval on an idle socket, well inside its reconnect wait.
        Assert.Equal(TimeSpan.FromSeconds(15), probe.Delay);
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Interrupt);
        // Meanwhile the video socket notices it was lost: it reopens with its backoff and is not probed.
        stream.MediaEnded(1, "video socket closed");
        stream.Advance(probe.Delay);

        var probed = stream.Effects.Since(mark).OfType<Effect.Interrupt>().ToList();
        Assert.Equal([0, 2], probed.Select(i => i.Link));
        Assert.All(probed, i => Assert.Equal(reportedAt, i.Since));
        Assert.All(probed, i => Assert.Contains("(event 7)", i.Reason, StringComparison.Ordinal));
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Close or Effect.Dial);

        // A probed socket that was silent (the session cuts it) reopens with its backoff too, never at once.
        var cut = stream.Effects.Mark();
        stream.MediaEnded(2, "silent after the interruption");
        Assert.DoesNotContain(stream.Effects.Since(cut), e => e is Effect.Open);
        Assert.InRange(stream.LastTimer(StreamTimerKind.MediaReopen).Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void The_probe_window_is_never_longer_than_half_the_keep_alive_watchdog()
    {
        var stream = new MachineUnderTest(new RtmsGateway.Configuration.RtmsClientOptions { KeepAliveTimeout = TimeSpan.FromSeconds(3) });
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        stream.Handle(new StreamEvent.MediaInterruptionReported(stream.Attempt));
        Assert.Equal(TimeSpan.FromSeconds(1.5), stream.LastTimer(StreamTimerKind.MediaProbe).Delay);
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
    public void Zoom_reporting_media_interrupted_does_not_cut_a_reopen_backoff_short()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.MediaEnded(0);
        var timer = stream.LastTimer(StreamTimerKind.MediaReopen);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.MediaInterruptionReported(stream.Attempt));
        stream.Advance(timer.Delay - TimeSpan.FromMilliseconds(1));
        Assert.Empty(stream.Effects.Since(mark));
        stream.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(stream.Effects.Since(mark).OfType<Effect.Open>());
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
