using RtmsGateway.Protocol;
using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>How the machine redials signaling (§5.2): jittered 3-30 s backoff, reset by a successful handshake, given up after a while.</summary>
public sealed class SignalingBackoffTests
{
    private static readonly double[] NominalSeconds = [3, 6, 12, 24, 30, 30];

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(2026)]
    public void Signaling_redials_wait_3_6_12_24_30_30_s_each_jittered_into_its_upper_half(int seed)
    {
        var stream = new MachineUnderTest(seed: seed);
        stream.Start();
        var delays = RedialDelays(stream, NominalSeconds.Length);

        Assert.All(NominalSeconds.Zip(delays), pair =>
            Assert.InRange(pair.Second, TimeSpan.FromSeconds(pair.First / 2), TimeSpan.FromSeconds(pair.First)));
        Assert.Equal(1 + NominalSeconds.Length, stream.Dials);
    }

    [Fact]
    public void Streams_with_different_seeds_redial_at_different_times()
    {
        var one = new MachineUnderTest(seed: 1);
        var two = new MachineUnderTest(seed: 2);
        one.Start();
        two.Start();
        Assert.NotEqual(RedialDelays(one, 4), RedialDelays(two, 4));
    }

    [Fact]
    public void A_redial_happens_when_its_delay_has_passed_and_not_before()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.FailDial();
        var redial = stream.LastTimer(StreamTimerKind.Redial);
        stream.Advance(redial.Delay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, stream.Dials);
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
        stream.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, stream.Dials);
        Assert.Equal(StreamPhase.Dialling, stream.Phase);
    }

    [Fact]
    public void A_successful_handshake_resets_the_backoff_to_the_first_delay()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        RedialDelays(stream, 4);
        Assert.True(stream.LastTimer(StreamTimerKind.Redial).Delay >= TimeSpan.FromSeconds(12));
        stream.GoLive();
        stream.SignalingEnded("dropped");

        Assert.InRange(stream.LastTimer(StreamTimerKind.Redial).Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Reconnecting_gives_up_after_ReconnectGiveUpAfter_without_a_successful_handshake()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.SignalingEnded("dropped");
        while (stream.Machine.Ending is null)
        {
            stream.ElapseLast(StreamTimerKind.Redial);
            stream.FailDial();
        }

        Assert.Equal(StopReason.AwaitReconnectionTimeout, stream.Finished.Reason);
        Assert.False(stream.Finished.ByZoom);
        var since = stream.Time.GetUtcNow() - stream.Time.Start;
        Assert.InRange(since, stream.Options.ReconnectGiveUpAfter, stream.Options.ReconnectGiveUpAfter + stream.Options.ReconnectMaxDelay);
    }

    [Fact]
    public void A_stream_live_for_longer_than_ReconnectGiveUpAfter_still_reconnects_when_signaling_drops()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.Advance(TimeSpan.FromMinutes(30));
        stream.SignalingEnded("dropped");

        Assert.Null(stream.Machine.Ending);
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
    }

    /// <summary>Fails the current dial <paramref name="count"/> times, letting each redial timer elapse; returns their delays.</summary>
    private static List<TimeSpan> RedialDelays(MachineUnderTest stream, int count)
    {
        var delays = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            stream.FailDial();
            delays.Add(stream.ElapseLast(StreamTimerKind.Redial).Delay);
        }
        return delays;
    }
}
