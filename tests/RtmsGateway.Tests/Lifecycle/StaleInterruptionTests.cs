using RtmsGateway.Sessions.Lifecycle;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary>
/// A late <c>rtms_interrupted</c> webhook (Zoom delays webhooks) is judged by Zoom's <c>event_ts</c> against the current
/// connection's start on Zoom's clock — the local start shifted by the clock offset keep-alive timestamps show, and never
/// before the event_ts of the webhook the current connection answers — not by this replica's clock: a stale one leaves the
/// healthy connection alone, a fresh one reconnects, whichever way the clocks are apart and in either unit.
/// </summary>
public sealed class StaleInterruptionTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    /// <summary>Live, with Zoom's clock <paramref name="zoomAhead"/> ahead of this replica's (shown by a keep-alive).</summary>
    private static MachineUnderTest LiveWithZoomClock(TimeSpan zoomAhead)
    {
        var stream = new MachineUnderTest();
        stream.GoLive(MachineUnderTest.Audio, MachineUnderTest.Video);
        Ping(stream, zoomAhead);
        return stream;
    }

    private static void Ping(MachineUnderTest stream, TimeSpan zoomAhead, TimeSpan? delay = null) =>
        stream.Handle(new StreamEvent.ZoomClockSampled(stream.Attempt, stream.NowUnixMs + (long)(zoomAhead - (delay ?? TimeSpan.Zero)).TotalMilliseconds, stream.NowUnixMs));

    private static long ZoomNow(MachineUnderTest stream, TimeSpan zoomAhead) => stream.NowUnixMs + (long)zoomAhead.TotalMilliseconds;

    /// <summary>Signaling drops; the gateway notices and reconnects by itself (the webhook has not come yet).</summary>
    private static long ReconnectAlone(MachineUnderTest stream, TimeSpan zoomAhead)
    {
        var droppedAt = ZoomNow(stream, zoomAhead);
        stream.SignalingEnded("signaling closed abnormally");
        stream.ElapseLast(StreamTimerKind.Redial);
        stream.Opened(MachineUnderTest.Audio, MachineUnderTest.Video);
        stream.MediaReady(0);
        stream.MediaReady(1);
        Assert.Equal(StreamPhase.Live, stream.Phase);
        return droppedAt;
    }

    [Fact]
    public void A_late_webhook_about_the_previous_connection_leaves_the_new_one_alone_though_zooms_clock_is_ahead()
    {
        var stream = LiveWithZoomClock(Skew);
        var droppedAt = ReconnectAlone(stream, Skew);
        stream.Advance(TimeSpan.FromSeconds(5));
        var mark = stream.Effects.Mark();

        // Its event_ts is after this replica's clock saw the new connection open: by local time it would look fresh.
        Assert.True(droppedAt > stream.NowUnixMs);
        stream.Handle(new StreamEvent.ReconnectRequested(droppedAt));

        var stale = Assert.IsType<Effect.StaleInterruption>(Assert.Single(stream.Effects.Since(mark)));
        Assert.Equal(droppedAt, stale.EventTimestampMs);
        Assert.True(stale.ConnectionStartMs > droppedAt);
        Assert.Equal(StreamPhase.Live, stream.Phase);
    }

    [Fact]
    public void A_webhook_about_the_current_connection_is_honoured_though_zooms_clock_is_behind()
    {
        var stream = LiveWithZoomClock(-Skew);
        stream.Advance(TimeSpan.FromSeconds(5));
        var mark = stream.Effects.Mark();

        // Its event_ts is before this replica's clock saw the connection open: by local time it would look stale.
        stream.Handle(new StreamEvent.ReconnectRequested(ZoomNow(stream, -Skew)));

        Assert.Equal(new Effect.Close(1, EndStream: false), stream.Effects.Since(mark)[0]);
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
    }

    [Fact]
    public void The_least_delayed_keep_alive_sets_the_clock_offset()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var zoomStart = ZoomNow(stream, Skew);
        // Each sample lags by its network delay; the last one most.
        Ping(stream, Skew, delay: TimeSpan.FromSeconds(2));
        Ping(stream, Skew);
        Ping(stream, Skew, delay: TimeSpan.FromSeconds(4));
        stream.Advance(TimeSpan.FromSeconds(1));

        // 3 s before the connection began on Zoom's clock (the last sample alone would place the start 4 s early).
        stream.Handle(new StreamEvent.ReconnectRequested(zoomStart - 3000));
        Assert.Equal(StreamPhase.Live, stream.Phase);
        // 1 s after it: about this connection.
        stream.Handle(new StreamEvent.ReconnectRequested(zoomStart + 1000));
        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
    }

    [Theory]
    [InlineData(-5, true)]
    [InlineData(5, false)]
    public void An_event_ts_in_seconds_is_read_as_seconds(int secondsFromStart, bool stale)
    {
        var stream = LiveWithZoomClock(TimeSpan.Zero);
        var start = stream.NowUnixMs;
        stream.Advance(TimeSpan.FromSeconds(10));

        stream.Handle(new StreamEvent.ReconnectRequested((start / 1000) + secondsFromStart));

        Assert.Equal(stale, stream.Phase == StreamPhase.Live);
        Assert.Equal(stale, stream.Effects.All<Effect.StaleInterruption>().Any());
    }

    [Fact]
    public void Without_a_keep_alive_yet_an_interruption_older_than_the_one_acted_on_is_stale()
    {
        // No keep-alive arrived: the offset is unknown, and Zoom's clock happens to run 30 s ahead.
        var stream = new MachineUnderTest();
        stream.GoLive();
        var first = ZoomNow(stream, Skew);
        stream.Handle(new StreamEvent.ReconnectRequested(first));
        stream.ElapseLast(StreamTimerKind.Redial);
        stream.Opened(MachineUnderTest.Unified);
        stream.MediaReady(0);
        var mark = stream.Effects.Mark();

        // An earlier interruption, delivered after the one that caused this connection.
        stream.Handle(new StreamEvent.ReconnectRequested(first - 1000));

        Assert.IsType<Effect.StaleInterruption>(Assert.Single(stream.Effects.Since(mark)));
        Assert.Equal(StreamPhase.Live, stream.Phase);
    }

    [Fact]
    public void An_interruption_older_than_the_failover_the_connection_answers_is_stale()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var failoverAt = ZoomNow(stream, Skew);
        stream.Handle(new StreamEvent.Redirected(new Uri("wss://signaling-2.zoom.test/rtms"), failoverAt));
        stream.Opened(MachineUnderTest.Unified);
        stream.MediaReady(0);
        var mark = stream.Effects.Mark();

        stream.Handle(new StreamEvent.ReconnectRequested(failoverAt - 1));

        Assert.IsType<Effect.StaleInterruption>(Assert.Single(stream.Effects.Since(mark)));
    }

    [Fact]
    public void A_clock_sample_of_an_older_connection_is_ignored()
    {
        var stream = new MachineUnderTest();
        stream.GoLive();
        var oldAttempt = stream.Attempt;
        ReconnectAlone(stream, TimeSpan.Zero);
        // A keep-alive of the old connection, read late, claiming Zoom runs an hour ahead: it must not count.
        stream.Handle(new StreamEvent.ZoomClockSampled(oldAttempt, stream.NowUnixMs + 3_600_000, stream.NowUnixMs));
        stream.Advance(TimeSpan.FromSeconds(5));

        stream.Handle(new StreamEvent.ReconnectRequested(stream.NowUnixMs));

        Assert.Equal(StreamPhase.AwaitingRedial, stream.Phase);
    }
}
