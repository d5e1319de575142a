using RtmsGateway.Protocol;
using RtmsGateway.Rtms;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>
/// The machine and the lease: it relinquishes at once when the lease is lost or the replica drains, and never dials Zoom
/// unless the lease was confirmed within its TTL (a replica cut off from Redis must not fight the new owner for Zoom's one
/// signaling connection).
/// </summary>
public sealed class LeaseRuleTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);

    [Fact]
    public void Losing_the_lease_relinquishes_the_stream_and_closes_signaling_without_ending_it_at_Zoom()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.GoLive();
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.LeaseLost());

        Assert.Equal(new StreamEnding.Relinquished(RelinquishReason.LeaseLost), stream.Machine.Ending);
        Assert.Equal(StreamPhase.Ended, stream.Phase);
        Assert.Equal([new Effect.Close(1, EndStream: false)], stream.Effects.Since(mark));
    }

    [Fact]
    public void A_drain_relinquishes_the_stream_without_ending_it_at_Zoom()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.GoLive();
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.DrainRequested());

        Assert.Equal(new StreamEnding.Relinquished(RelinquishReason.Drain), stream.Machine.Ending);
        Assert.Equal([new Effect.Close(1, EndStream: false)], stream.Effects.Since(mark));
    }

    [Fact]
    public void Losing_the_lease_while_awaiting_a_redial_relinquishes_at_once_and_dials_no_more()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.Start();
        stream.FailDial();
        stream.Handle(new StreamEvent.LeaseLost());
        Assert.Equal(new StreamEnding.Relinquished(RelinquishReason.LeaseLost), stream.Machine.Ending);
        stream.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, stream.Dials);
    }

    [Fact]
    public void The_machine_does_not_dial_when_the_lease_was_not_confirmed_within_its_TTL_and_dials_on_the_next_confirmation()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.GoLive();
        // Redis unreachable: no confirmation for longer than the TTL. What is connected keeps streaming.
        stream.Advance(Ttl + TimeSpan.FromMilliseconds(1));
        Assert.Equal(StreamPhase.Live, stream.Phase);

        stream.SignalingEnded("dropped");
        stream.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(StreamPhase.AwaitingLease, stream.Phase);
        Assert.Equal(1, stream.Dials);
        Assert.Equal(UpstreamState.Reconnecting, stream.Effects.Reports.Last());

        stream.Handle(new StreamEvent.LeaseConfirmed(stream.Time.GetTimestamp()));
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        Assert.Equal(new Effect.Dial(2, MachineUnderTest.SignalingUrl), stream.Effects.All<Effect.Dial>().Last());
    }

    [Fact]
    public void An_immediate_redial_also_waits_for_the_lease()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.GoLive();
        stream.Advance(Ttl);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.Redirected(new Uri("wss://signaling-2.zoom.test/rtms")));
        stream.Handle(new StreamEvent.ReconnectRequested(0));

        Assert.Equal(StreamPhase.AwaitingLease, stream.Phase);
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Dial);
    }

    [Fact]
    public void A_restart_after_a_stop_also_waits_for_the_lease()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.GoLive();
        stream.Advance(Ttl);
        stream.StreamState(RtmsStreamState.Terminated, StopReason.SignalConnectionInterrupted);
        stream.SignalingEnded();

        Assert.Equal(StreamPhase.AwaitingLease, stream.Phase);
        Assert.Equal(1, stream.Dials);
        stream.Handle(new StreamEvent.LeaseConfirmed(stream.Time.GetTimestamp()));
        Assert.Equal(2, stream.Attempt);
    }

    [Fact]
    public void Confirmations_within_the_TTL_keep_the_machine_dialling()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.GoLive();
        for (var i = 0; i < 30; i++)
        {
            stream.Advance(Ttl / 3);
            stream.Handle(new StreamEvent.LeaseConfirmed(stream.Time.GetTimestamp()));
        }
        stream.SignalingEnded("dropped");
        stream.Advance(stream.LastTimer(StreamTimerKind.Redial).Delay);

        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        Assert.Equal(2, stream.Attempt);
    }

    [Fact]
    public void A_confirmation_from_a_renewal_that_began_too_long_ago_does_not_allow_dialling()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.GoLive();
        stream.Advance(TimeSpan.FromMilliseconds(500));
        var renewalStarted = stream.Time.GetTimestamp();
        stream.Advance(Ttl + TimeSpan.FromSeconds(1));
        stream.SignalingEnded("dropped");
        stream.ElapseLast(StreamTimerKind.Redial);
        Assert.Equal(StreamPhase.AwaitingLease, stream.Phase);

        // A renewal that began before the TTL ran out, answered only now: the lease may have expired meanwhile.
        stream.Handle(new StreamEvent.LeaseConfirmed(renewalStarted));

        Assert.Equal(StreamPhase.AwaitingLease, stream.Phase);
        Assert.Equal(1, stream.Dials);
    }

    [Fact]
    public void Nothing_is_asked_of_the_effects_once_the_stream_has_ended()
    {
        var stream = new MachineUnderTest(leaseTtl: Ttl);
        stream.GoLive();
        stream.Handle(new StreamEvent.DrainRequested());
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.LeaseConfirmed(stream.Time.GetTimestamp()));
        stream.Handle(new StreamEvent.LeaseLost());
        stream.Handle(new StreamEvent.StopRequested(StopReason.SignalConnectionInterrupted));
        stream.Handle(new StreamEvent.Redirected(new Uri("wss://signaling-2.zoom.test/rtms")));
        stream.SignalingEnded();
        stream.MediaEnded(0);
        stream.Advance(TimeSpan.FromMinutes(5));

        Assert.Empty(stream.Effects.Since(mark));
        Assert.Equal(new StreamEnding.Relinquished(RelinquishReason.Drain), stream.Machine.Ending);
    }
}
