using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>Webhook commands (§5.2): <c>rtms_interrupted</c> reconnects, a repeated <c>rtms_started</c> fails over to its new server.</summary>
public sealed class WebhookCommandTests
{
    private static readonly Uri FailoverUrl = new("wss://signaling-2.zoom.test/rtms");

    [Fact]
    public void A_reconnect_webhook_while_live_closes_signaling_and_redials_with_backoff()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.Advance(TimeSpan.FromSeconds(20));
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.ReconnectRequested(stream.NowUnixMs));

        Assert.Equal(new Effect.Close(1, EndStream: false), stream.Effects.Since(mark)[0]);
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
        var redial = stream.LastTimer(StreamTimerKind.Redial);
        Assert.InRange(redial.Delay, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3));
        stream.Advance(redial.Delay);
        Assert.Equal(new Effect.Dial(2, MachineUnderTest.SignalingUrl), stream.Effects.All<Effect.Dial>().Last());
    }

    [Fact]
    public void A_reconnect_webhook_while_awaiting_a_redial_cuts_the_backoff_short()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.FailDial();
        stream.ElapseLast(StreamTimerKind.Redial);
        stream.FailDial();
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);

        stream.Handle(new StreamEvent.ReconnectRequested(stream.NowUnixMs));

        Assert.Equal(StreamPhase.Dialling, stream.Phase);
        Assert.Equal(3, stream.Attempt);
        // The backoff timer it cut short dials nothing more.
        stream.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, stream.Attempt);
    }

    [Fact]
    public void A_reconnect_webhook_older_than_the_current_connection_is_ignored()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        var before = stream.NowUnixMs;
        stream.Advance(TimeSpan.FromSeconds(1));
        stream.GoLive();
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.ReconnectRequested(before));
        stream.Handle(new StreamEvent.ReconnectRequested(stream.NowUnixMs - 1));

        Assert.All(stream.Effects.Since(mark), e => Assert.IsType<Effect.StaleInterruption>(e));
        Assert.Equal(2, stream.Effects.Since(mark).Count);
        Assert.Equal(StreamPhase.Live, stream.Phase);
    }

    [Fact]
    public void A_reconnect_webhook_without_an_event_ts_is_honoured()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        stream.Handle(new StreamEvent.ReconnectRequested(0));
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
    }

    [Fact]
    public void A_reconnect_webhook_while_dialling_changes_nothing()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        var mark = stream.Effects.Mark();
        stream.Handle(new StreamEvent.ReconnectRequested(stream.NowUnixMs));
        Assert.Empty(stream.Effects.Since(mark));
    }

    [Fact]
    public void A_redirect_dials_the_new_url_at_once()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.Redirected(FailoverUrl));

        Assert.Equal(new Effect.Close(1, EndStream: false), stream.Effects.Since(mark)[0]);
        Assert.Equal(new Effect.Dial(2, FailoverUrl), stream.Effects.All<Effect.Dial>().Last());
        Assert.DoesNotContain(stream.Effects.Since(mark), e => e is Effect.Timer);
        Assert.Equal(FailoverUrl, stream.Machine.SignalingUrl);
    }

    [Fact]
    public void A_redirect_while_awaiting_a_redial_dials_the_new_url_at_once()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        stream.FailDial();
        stream.Handle(new StreamEvent.Redirected(FailoverUrl));
        Assert.Equal(new Effect.Dial(2, FailoverUrl), stream.Effects.All<Effect.Dial>().Last());

        // Later redials go to the new server too.
        stream.FailDial();
        stream.ElapseLast(StreamTimerKind.Redial);
        Assert.Equal(new Effect.Dial(3, FailoverUrl), stream.Effects.All<Effect.Dial>().Last());
    }

    [Fact]
    public void A_redirect_while_dialling_abandons_that_dial_for_the_new_url()
    {
        var stream = new MachineUnderTest();
        stream.Start();
        var mark = stream.Effects.Mark();
        stream.Handle(new StreamEvent.Redirected(FailoverUrl));

        Assert.Contains(new Effect.Close(1, EndStream: false), stream.Effects.Since(mark));
        Assert.Equal(new Effect.Dial(2, FailoverUrl), stream.Effects.All<Effect.Dial>().Last());
        var after = stream.Effects.Mark();
        stream.Handle(new StreamEvent.SignalingOpened(1, [MachineUnderTest.Unified]));
        Assert.Empty(stream.Effects.Since(after));
    }
}
