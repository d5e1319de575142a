using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>Zoom refusing the signaling handshake (§3.5): auth, request and stream errors end the stream; connection errors are retried.</summary>
public sealed class SignalingRefusalTests
{
    [Fact]
    public void An_invalid_signature_ends_the_stream_as_an_authentication_failure()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Refused(StatusCode.InvalidSignature);

        Assert.Equal(StreamPhase.Ended, stream.Phase);
        Assert.Equal(StopReason.AuthenticationFailure, stream.Finished.Reason);
        Assert.False(stream.Finished.ByZoom);
        Assert.Equal(1, stream.Dials);
        stream.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, stream.Dials);
    }

    [Theory]
    [InlineData((int)StatusCode.InvalidMessageType)]
    [InlineData((int)StatusCode.InvalidRtmsStreamId)]
    [InlineData((int)StatusCode.InvalidPayload)]
    [InlineData((int)StatusCode.InvalidEvents)]
    [InlineData((int)StatusCode.InvalidRtmsSessionId)]
    public void Any_other_non_retryable_refusal_ends_the_stream(int status)
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Refused((StatusCode)status);

        Assert.Equal(StopReason.Undefined, stream.Finished.Reason);
        Assert.Equal(1, stream.Dials);
    }

    [Theory]
    [InlineData((int)StatusCode.DuplicateSignalRequest)]
    [InlineData((int)StatusCode.MediaDataAllConnectionExist)]
    [InlineData((int)StatusCode.DuplicateMediaDataConnection)]
    [InlineData((int)StatusCode.InternalException)]
    public void Retryable_refusals_are_retried_with_backoff(int status)
    {
        var stream = new MachineUnderTest();
        stream.Start();
        var mark = stream.Effects.Mark();
        stream.Refused((StatusCode)status);

        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
        Assert.Equal(
            [new Effect.Close(1, EndStream: false), new Effect.Reconnect("signaling")],
            stream.Effects.Since(mark).Where(e => e is Effect.Close or Effect.Reconnect));
        var redial = stream.LastTimer(StreamTimerKind.Redial);
        Assert.InRange(redial.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
        stream.Advance(redial.Delay);
        Assert.Equal(new Effect.Dial(2, MachineUnderTest.SignalingUrl), stream.Effects.All<Effect.Dial>().Last());
    }

    [Fact]
    public void A_connection_failure_is_retried_with_backoff()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.FailDial(new TimeoutException("no answer"));
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
        stream.ElapseLast(StreamTimerKind.Redial);
        Assert.Equal(2, stream.Attempt);
    }

    [Fact]
    public void A_refusal_of_an_older_attempt_is_ignored()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.FailDial();
        stream.ElapseLast(StreamTimerKind.Redial);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.SignalingFailed(1, MachineUnderTest.Refusal(StatusCode.InvalidSignature, signaling: true)));
        stream.Handle(new StreamEvent.SignalingOpened(1, [MachineUnderTest.Unified]));
        stream.Handle(new StreamEvent.SignalingEnded(1, "old socket closed"));

        Assert.Empty(stream.Effects.Since(mark));
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
    }

    [Fact]
    public void A_media_handshake_refused_for_the_whole_connection_ends_the_stream()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.Opened(MachineUnderTest.Unified);
        stream.MediaFailed(0, MachineUnderTest.Refusal(StatusCode.InvalidSignature, signaling: false));

        Assert.Equal(StopReason.AuthenticationFailure, stream.Finished.Reason);
    }
}
