using RtmsGateway.Protocol;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>
/// Zoom ending a stream, in either order (STREAM_STATE TERMINATED on signaling, or the <c>rtms_stopped</c> webhook): signaling
/// is read until Zoom closes it or <see cref="StreamStateMachine.TerminationGrace"/> passes, so its last updates reach
/// subscribers; the first of the two decides the stop reason.
/// </summary>
public sealed class TerminationGraceTests
{
    [Fact]
    public void When_the_webhook_comes_first_signaling_is_read_until_Zoom_closes_it_and_the_stream_ends_with_the_webhooks_reason()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.StopRequested(StopReason.MeetingEnded));
        Assert.Equal(StreamPhase.Stopping, stream.Phase);
        var grace = Assert.IsType<Effect.Timer>(Assert.Single(stream.Effects.Since(mark)));
        Assert.Equal(StreamTimerKind.TerminationGrace, grace.Which.Kind);
        Assert.Equal(StreamStateMachine.TerminationGrace, grace.Delay);

        // Zoom's last words on signaling, and its media sockets closing, while signaling is still read.
        stream.StreamState(RtmsStreamState.Terminated, StopReason.HostTriggered);
        stream.MediaEnded(0, "closed by Zoom");
        stream.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StreamPhase.Stopping, stream.Phase);
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Close or Effect.Dial or Effect.Open);

        var closing = stream.Effects.Mark();
        stream.SignalingEnded();

        Assert.Equal(StopReason.MeetingEnded, stream.Finished.Reason);
        Assert.True(stream.Finished.ByZoom);
        Assert.Equal(new Effect.Close(1, EndStream: false), stream.Effects.Since(closing)[0]);
        Assert.DoesNotContain(stream.Effects.Calls, e => e is Effect.Close { EndStream: true });
    }

    [Theory]
    [InlineData((int)RtmsStreamState.Terminated)]
    [InlineData((int)RtmsStreamState.Terminating)]
    public void When_signaling_reports_the_end_first_the_later_webhook_changes_nothing_and_the_stream_ends_with_the_signalings_reason(int state)
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var mark = stream.Effects.Mark();

        stream.StreamState((RtmsStreamState)state, StopReason.MeetingEnded);
        Assert.Equal(StreamPhase.Stopping, stream.Phase);
        Assert.Equal(StreamTimerKind.TerminationGrace, Assert.IsType<Effect.Timer>(Assert.Single(stream.Effects.Since(mark))).Which.Kind);

        var webhook = stream.Effects.Mark();
        stream.Handle(new StreamEvent.StopRequested(StopReason.HostTriggered));
        Assert.Empty(stream.Effects.Since(webhook));
        Assert.Equal(StreamPhase.Stopping, stream.Phase);

        stream.SignalingEnded();
        Assert.Equal(StopReason.MeetingEnded, stream.Finished.Reason);
    }

    [Fact]
    public void When_Zoom_never_closes_signaling_the_grace_ends_the_stream()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.Handle(new StreamEvent.StopRequested(StopReason.MeetingEnded));
        var mark = stream.Effects.Mark();

        stream.Advance(StreamStateMachine.TerminationGrace - TimeSpan.FromMilliseconds(1));
        Assert.Equal(StreamPhase.Stopping, stream.Phase);
        Assert.Empty(stream.Effects.Since(mark));

        stream.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(StopReason.MeetingEnded, stream.Finished.Reason);
        Assert.Equal(new Effect.Close(1, EndStream: false), stream.Effects.Since(mark)[0]);
    }

    [Fact]
    public void When_the_grace_passes_on_a_restartable_stop_the_stream_restarts()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Terminated, StopReason.KeepAliveTimeout);
        stream.ElapseLast(StreamTimerKind.TerminationGrace);

        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        Assert.Equal(2, stream.Attempt);
    }

    [Fact]
    public void A_stale_termination_grace_timer_does_nothing()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Terminated, StopReason.SignalConnectionInterrupted);
        var first = stream.LastTimer(StreamTimerKind.TerminationGrace);
        stream.SignalingEnded();
        stream.GoLive();
        stream.Handle(new StreamEvent.StopRequested(StopReason.MeetingEnded));
        var second = stream.LastTimer(StreamTimerKind.TerminationGrace);
        Assert.NotEqual(first.Generation, second.Generation);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.TimerElapsed(first.Which, first.Generation));

        Assert.Empty(stream.Effects.Since(mark));
        Assert.Equal(StreamPhase.Stopping, stream.Phase);
        stream.Handle(new StreamEvent.TimerElapsed(second.Which, second.Generation));
        Assert.Equal(StopReason.MeetingEnded, stream.Finished.Reason);
    }

    [Fact]
    public void A_grace_timer_arriving_after_the_stream_restarted_does_nothing()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Terminated, StopReason.SignalConnectionInterrupted);
        var grace = stream.LastTimer(StreamTimerKind.TerminationGrace);
        stream.SignalingEnded();
        stream.GoLive();
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.TimerElapsed(grace.Which, grace.Generation));

        Assert.Empty(stream.Effects.Since(mark));
        Assert.Equal(StreamPhase.Live, stream.Phase);
    }

    [Fact]
    public void Nothing_is_reconnected_while_the_stream_is_stopping()
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        stream.Handle(new StreamEvent.StopRequested(StopReason.MeetingEnded));
        var mark = stream.Effects.Mark();

        stream.MediaEnded(0);
        stream.MediaFailed(1, MachineUnderTest.ConnectionRefused());
        stream.Handle(new StreamEvent.ReconnectRequested(stream.NowUnixMs));
        stream.Handle(new StreamEvent.MediaInterruptionReported(stream.Attempt));
        stream.StreamState(RtmsStreamState.Interrupted, StopReason.DataConnectionInterrupted);

        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Dial or Effect.Open or Effect.Close or Effect.Interrupt or Effect.Timer);
        Assert.Equal(StreamPhase.Stopping, stream.Phase);
    }
}
