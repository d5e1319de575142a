using Microsoft.Extensions.Time.Testing;
using RtmsGateway.Configuration;
using RtmsGateway.Protocol;
using RtmsGateway.Rtms;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary><see cref="RestartPolicy"/>: when to dial Zoom again and when to give up (§5.2, §3.8, §3.5).</summary>
public sealed class RestartPolicyTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RtmsClientOptions _options = new();

    private RestartPolicy Policy(int seed = 7) => new(_options, _time, new Random(seed));

    public static TheoryData<int> AllStopReasons => [.. Enum.GetValues<StopReason>().Select(r => (int)r)];

    [Theory]
    [MemberData(nameof(AllStopReasons))]
    public void Stop_reasons_10_to_19_and_24_call_for_a_restart_and_no_other_does(int reason)
    {
        var expected = reason is (>= 10 and <= 19) or 24;
        Assert.Equal(expected, RestartPolicy.IsRestartable((StopReason)reason));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(13)]
    [InlineData(19)]
    [InlineData(24)]
    public void The_first_restart_after_a_restartable_stop_is_immediate(int reason)
    {
        var policy = Policy();
        Assert.Equal(new RestartDecision.Retry(TimeSpan.Zero), policy.AfterStop((StopReason)reason));
        Assert.Equal((StopReason)reason, policy.RestartingFrom);
    }

    [Fact]
    public void A_restart_is_tried_at_most_RestartAttemptsAfterStop_times_in_all_then_the_stream_ends_with_the_original_reason()
    {
        var policy = Policy();
        var decisions = new List<RestartDecision> { policy.AfterStop(StopReason.SignalConnectionInterrupted) };
        while (decisions[^1] is RestartDecision.Retry && decisions.Count < 20)
        {
            decisions.Add(policy.AfterLoss());
        }
        Assert.Equal(_options.RestartAttemptsAfterStop, decisions.Count(d => d is RestartDecision.Retry));
        var finish = Assert.IsType<RestartDecision.Finish>(decisions[^1]);
        Assert.Equal(StopReason.SignalConnectionInterrupted, finish.Result.Reason);
        Assert.True(finish.Result.ByZoom);
        // Later attempts of the restart wait out the backoff; only the first is immediate.
        Assert.All(decisions.Skip(1).SkipLast(1), d => Assert.True(((RestartDecision.Retry)d).Delay > TimeSpan.Zero));
    }

    [Fact]
    public void With_no_restart_attempts_allowed_a_restartable_stop_ends_the_stream_at_once()
    {
        _options.RestartAttemptsAfterStop = 0;
        var finish = Assert.IsType<RestartDecision.Finish>(Policy().AfterStop(StopReason.KeepAliveTimeout));
        Assert.Equal(StopReason.KeepAliveTimeout, finish.Result.Reason);
    }

    [Theory]
    [InlineData((int)StatusCode.InvalidRtmsStreamId)]
    [InlineData((int)StatusCode.InvalidSignature)]
    [InlineData((int)StatusCode.InvalidRtmsSessionId)]
    public void Zoom_refusing_a_restart_with_a_non_retryable_status_ends_the_stream_with_the_original_stop_reason(int status)
    {
        var policy = Policy();
        policy.AfterStop(StopReason.ConnectionTimeout);
        var finish = Assert.IsType<RestartDecision.Finish>(policy.AfterRefusal(MachineUnderTest.Refusal((StatusCode)status, signaling: true)));
        Assert.Equal(StopReason.ConnectionTimeout, finish.Result.Reason);
        Assert.True(finish.Result.ByZoom);
    }

    [Fact]
    public void A_retryable_refusal_of_a_restart_uses_up_one_of_its_attempts()
    {
        var policy = Policy();
        policy.AfterStop(StopReason.InternalException);
        var duplicate = MachineUnderTest.Refusal(StatusCode.DuplicateSignalRequest, signaling: true);
        Assert.IsType<RestartDecision.Retry>(policy.AfterRefusal(duplicate));
        Assert.IsType<RestartDecision.Retry>(policy.AfterRefusal(duplicate));
        var finish = Assert.IsType<RestartDecision.Finish>(policy.AfterRefusal(duplicate));
        Assert.Equal(StopReason.InternalException, finish.Result.Reason);
    }

    [Theory]
    [InlineData((int)StopReason.Undefined)]
    [InlineData((int)StopReason.HostTriggered)]
    [InlineData((int)StopReason.UserLeft)]
    [InlineData((int)StopReason.MeetingEnded)]
    [InlineData((int)StopReason.StreamRevoked)]
    [InlineData((int)StopReason.ReceiverRequestClose)]
    [InlineData((int)StopReason.AdminDisabledApp)]
    [InlineData((int)StopReason.ManualApiTriggered)]
    public void Any_other_stop_reason_ends_the_stream_without_a_restart(int reason)
    {
        var finish = Assert.IsType<RestartDecision.Finish>(Policy().AfterStop((StopReason)reason));
        Assert.Equal((StopReason)reason, finish.Result.Reason);
        Assert.True(finish.Result.ByZoom);
    }

    [Fact]
    public void An_accepted_handshake_clears_the_restart_state()
    {
        var policy = Policy();
        policy.AfterStop(StopReason.SignalConnectionInterrupted);
        policy.Connected();
        Assert.Null(policy.RestartingFrom);
        // A plain loss now reconnects as usual, with no restart attempts being counted down.
        for (var i = 0; i < 10; i++)
        {
            Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
        }
        // And a new stop gets a whole new set of attempts, the first one immediate.
        policy.Connected();
        Assert.Equal(new RestartDecision.Retry(TimeSpan.Zero), policy.AfterStop(StopReason.SignalConnectionInterrupted));
        Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
        Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
        Assert.IsType<RestartDecision.Finish>(policy.AfterLoss());
    }

    [Fact]
    public void An_invalid_signature_ends_the_stream_as_an_authentication_failure()
    {
        var finish = Assert.IsType<RestartDecision.Finish>(Policy().AfterRefusal(MachineUnderTest.Refusal(StatusCode.InvalidSignature, signaling: true)));
        Assert.Equal(StopReason.AuthenticationFailure, finish.Result.Reason);
        Assert.False(finish.Result.ByZoom);
    }

    [Theory]
    [InlineData((int)StatusCode.InvalidMessageType)]
    [InlineData((int)StatusCode.InvalidRtmsStreamId)]
    [InlineData((int)StatusCode.InvalidPayload)]
    [InlineData((int)StatusCode.InvalidEventSubscribe)]
    public void Any_other_non_retryable_refusal_ends_the_stream(int status)
    {
        var finish = Assert.IsType<RestartDecision.Finish>(Policy().AfterRefusal(MachineUnderTest.Refusal((StatusCode)status, signaling: true)));
        Assert.Equal(StopReason.Undefined, finish.Result.Reason);
        Assert.False(finish.Result.ByZoom);
    }

    [Theory]
    [InlineData((int)StatusCode.DuplicateSignalRequest)]
    [InlineData((int)StatusCode.MediaDataAllConnectionExist)]
    [InlineData((int)StatusCode.DuplicateMediaDataConnection)]
    [InlineData((int)StatusCode.InternalException)]
    public void Retryable_refusals_are_retried_after_the_backoff(int status)
    {
        var retry = Assert.IsType<RestartDecision.Retry>(Policy().AfterRefusal(MachineUnderTest.Refusal((StatusCode)status, signaling: true)));
        Assert.InRange(retry.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Reconnecting_goes_on_until_ReconnectGiveUpAfter_has_passed_without_a_successful_handshake()
    {
        var policy = Policy();
        _time.Advance(_options.ReconnectGiveUpAfter);
        Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var finish = Assert.IsType<RestartDecision.Finish>(policy.AfterLoss());
        Assert.Equal(StopReason.AwaitReconnectionTimeout, finish.Result.Reason);
        Assert.False(finish.Result.ByZoom);
    }

    [Fact]
    public void The_give_up_clock_runs_from_the_last_successful_handshake()
    {
        var policy = Policy();
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
        policy.Connected();
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
    }

    [Fact]
    public void A_stream_live_for_longer_than_ReconnectGiveUpAfter_still_reconnects_after_a_loss()
    {
        var policy = Policy();
        policy.Connected();
        _time.Advance(TimeSpan.FromMinutes(10));
        // "Stop reconnecting after failing this long": the failing only starts now.
        Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
        _time.Advance(_options.ReconnectGiveUpAfter + TimeSpan.FromSeconds(1));
        Assert.IsType<RestartDecision.Finish>(policy.AfterLoss());
    }

    [Fact]
    public void A_successful_handshake_resets_the_backoff_to_its_first_delay()
    {
        var policy = Policy();
        for (var i = 0; i < 5; i++)
        {
            policy.AfterLoss();
        }
        policy.Connected();
        var retry = Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
        Assert.InRange(retry.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_redirect_dials_at_once_resets_the_backoff_and_restarts_the_give_up_clock()
    {
        var policy = Policy();
        for (var i = 0; i < 5; i++)
        {
            policy.AfterLoss();
        }
        _time.Advance(TimeSpan.FromMinutes(2.5));
        Assert.Equal(new RestartDecision.Retry(TimeSpan.Zero), policy.Redirected());
        _time.Advance(TimeSpan.FromMinutes(2.5));
        var retry = Assert.IsType<RestartDecision.Retry>(policy.AfterLoss());
        Assert.InRange(retry.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
    }
}
