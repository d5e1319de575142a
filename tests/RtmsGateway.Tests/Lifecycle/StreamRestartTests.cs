using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>The machine's restart rules (§3.8, §5.2): reasons 10-19 and 24 restart the stream, every other one ends it.</summary>
public sealed class StreamRestartTests
{
    public static TheoryData<int> RestartableReasons => [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 24];

    public static TheoryData<int> FinalReasons => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 25, 26];

    [Theory]
    [MemberData(nameof(RestartableReasons))]
    public void A_stop_webhook_with_a_restartable_reason_restarts_the_stream_at_once_when_signaling_ends(int reason)
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.Handle(new StreamEvent.StopRequested((StopReason)reason));
        var mark = stream.Effects.Mark();
        stream.SignalingEnded();

        Assert.Null(stream.Machine.Ending);
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        Assert.Equal(new Effect.Dial(2, MachineUnderTest.SignalingUrl), stream.Effects.All<Effect.Dial>().Last());
        var since = stream.Effects.Since(mark);
        Assert.Contains(new Effect.Close(1, EndStream: false), since);
        Assert.DoesNotContain(since, e => e is Effect.Timer { Which.Kind: StreamTimerKind.Redial });
    }

    [Theory]
    [MemberData(nameof(RestartableReasons))]
    public void A_terminated_stream_state_with_a_restartable_reason_restarts_the_stream_at_once_when_signaling_ends(int reason)
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Terminated, (StopReason)reason);
        stream.SignalingEnded();

        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        Assert.Equal(2, stream.Attempt);
        Assert.DoesNotContain(stream.Effects.Calls, e => e is Effect.Timer { Which.Kind: StreamTimerKind.Redial });
    }

    [Fact]
    public void A_restart_is_tried_at_most_RestartAttemptsAfterStop_times_then_the_stream_ends_with_the_original_reason()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Terminated, StopReason.SignalConnectionInterrupted);
        stream.SignalingEnded();
        while (stream.Machine.Ending is null && stream.Dials < 20)
        {
            stream.FailDial();
            if (stream.Phase == StreamPhase.AwaitingRedial)
            {
                stream.ElapseLast(StreamTimerKind.Redial);
            }
        }

        Assert.Equal(1 + stream.Options.RestartAttemptsAfterStop, stream.Dials);
        Assert.Equal(StopReason.SignalConnectionInterrupted, stream.Finished.Reason);
        Assert.True(stream.Finished.ByZoom);
        stream.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1 + stream.Options.RestartAttemptsAfterStop, stream.Dials);
    }

    [Fact]
    public void Only_the_first_restart_attempt_is_immediate_the_others_wait_out_the_backoff()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.Handle(new StreamEvent.StopRequested(StopReason.KeepAliveTimeout));
        stream.SignalingEnded();
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        stream.FailDial();
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
        var redial = stream.LastTimer(StreamTimerKind.Redial);
        Assert.InRange(redial.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
        stream.Advance(redial.Delay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, stream.Attempt);
        stream.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, stream.Attempt);
    }

    [Theory]
    [InlineData((int)StatusCode.InvalidRtmsStreamId)]
    [InlineData((int)StatusCode.InvalidRtmsSessionId)]
    public void Zoom_refusing_the_restart_with_a_non_retryable_status_ends_the_stream_with_the_original_stop_reason(int status)
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Terminated, StopReason.InternalException);
        stream.SignalingEnded();
        stream.Refused((StatusCode)status);

        Assert.Equal(StopReason.InternalException, stream.Finished.Reason);
        Assert.True(stream.Finished.ByZoom);
        Assert.Equal(2, stream.Dials);
        // Zoom ended the stream: no STREAM_CLOSE_REQ.
        Assert.DoesNotContain(stream.Effects.Calls, e => e is Effect.Close { EndStream: true });
    }

    [Theory]
    [MemberData(nameof(FinalReasons))]
    public void Any_other_stop_reason_ends_the_stream_without_a_restart(int reason)
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.Handle(new StreamEvent.StopRequested((StopReason)reason));
        stream.SignalingEnded();

        Assert.Equal((StopReason)reason, stream.Finished.Reason);
        Assert.True(stream.Finished.ByZoom);
        Assert.Equal(1, stream.Dials);
        Assert.DoesNotContain(stream.Effects.Calls, e => e is Effect.Close { EndStream: true });
    }

    [Fact]
    public void A_successful_restart_handshake_clears_the_restart_state()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Terminated, StopReason.SignalConnectionInterrupted);
        stream.SignalingEnded();
        stream.GoLive();
        Assert.Equal(2, stream.Attempt);

        // A plain loss now reconnects as any loss does: more failures than the restart allowed, and still reconnecting.
        stream.SignalingEnded("dropped");
        for (var i = 0; i < stream.Options.RestartAttemptsAfterStop + 3; i++)
        {
            stream.ElapseLast(StreamTimerKind.Redial);
            stream.FailDial();
        }
        Assert.Null(stream.Machine.Ending);
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);

        // And a new stop gets a whole new restart, first attempt at once.
        stream.ElapseLast(StreamTimerKind.Redial);
        stream.GoLive();
        var attempt = stream.Attempt;
        stream.Handle(new StreamEvent.StopRequested(StopReason.SignalConnectionInterrupted));
        stream.SignalingEnded();
        Assert.Equal(attempt + 1, stream.Attempt);
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
    }

    [Fact]
    public void A_stop_webhook_while_signaling_is_down_ends_the_stream_at_once()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.SignalingEnded("dropped");
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);

        stream.Handle(new StreamEvent.StopRequested(StopReason.MeetingEnded));

        Assert.Equal(StopReason.MeetingEnded, stream.Finished.Reason);
        stream.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, stream.Dials);
    }

    [Fact]
    public void A_restartable_stop_webhook_while_dialling_restarts_at_once()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Handle(new StreamEvent.StopRequested(StopReason.ConnectionTimeout));

        Assert.Contains(new Effect.Close(1, EndStream: false), stream.Effects.Calls);
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        Assert.Equal(2, stream.Attempt);
    }

    [Fact]
    public void The_stop_webhook_of_a_stop_already_reported_on_signaling_does_not_disturb_its_restart()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.StreamState(RtmsStreamState.Terminated, StopReason.SignalConnectionInterrupted);
        stream.SignalingEnded();
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        var mark = stream.Effects.Mark();

        // Zoom's rtms_stopped for the same stop, arriving after signaling closed ("whichever comes first" began the stop).
        stream.Handle(new StreamEvent.StopRequested(StopReason.SignalConnectionInterrupted));

        Assert.Empty(stream.Effects.Since(mark));
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        Assert.Equal(2, stream.Attempt);
    }
}
