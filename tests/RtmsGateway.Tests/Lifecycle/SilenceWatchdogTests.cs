using Microsoft.Extensions.Time.Testing;
using RtmsGateway.Rtms;

namespace RtmsGateway.Tests.Lifecycle;

/// <summary><see cref="SilenceWatchdog"/>: a socket silent for the keep-alive timeout is dead (§3.9), detected within 1-1.25 timeouts.</summary>
public sealed class SilenceWatchdogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(65);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(0)]
    [InlineData(250)]
    [InlineData(8000)]
    [InlineData(16000)]
    [InlineData(16250)]
    [InlineData(30000)]
    [InlineData(49000)]
    public void A_silent_socket_is_cancelled_between_one_and_one_and_a_quarter_timeouts_after_the_last_message(int lastSeenAfterMs)
    {
        using var watchdog = new SilenceWatchdog(Timeout, _time, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(lastSeenAfterMs));
        watchdog.Seen();

        Assert.InRange(AdvanceUntilCancelled(watchdog, limit: Timeout * 2), Timeout, Timeout * 1.25);
    }

    [Fact]
    public void The_watchdog_is_not_cancelled_before_a_whole_timeout_of_silence()
    {
        using var watchdog = new SilenceWatchdog(Timeout, _time, CancellationToken.None);
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(watchdog.Token.IsCancellationRequested);
    }

    [Fact]
    public void Creating_the_watchdog_counts_as_hearing_from_the_socket()
    {
        using var watchdog = new SilenceWatchdog(Timeout, _time, CancellationToken.None);
        Assert.InRange(AdvanceUntilCancelled(watchdog, limit: Timeout * 2), Timeout, Timeout * 1.25);
    }

    [Fact]
    public void Each_message_postpones_the_cancellation()
    {
        using var watchdog = new SilenceWatchdog(Timeout, _time, CancellationToken.None);
        // Ten minutes of traffic every 50 s (less than the timeout, more than a check period): never silent.
        for (var i = 0; i < 12; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(50));
            Assert.False(watchdog.Token.IsCancellationRequested);
            watchdog.Seen();
        }
        Assert.InRange(AdvanceUntilCancelled(watchdog, limit: Timeout * 2), Timeout, Timeout * 1.25);
    }

    [Fact]
    public void Cancelling_the_outer_token_cancels_the_watchdog()
    {
        using var outer = new CancellationTokenSource();
        using var watchdog = new SilenceWatchdog(Timeout, _time, outer.Token);
        outer.Cancel();
        Assert.True(watchdog.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_disposed_watchdog_stops_checking()
    {
        var watchdog = new SilenceWatchdog(Timeout, _time, CancellationToken.None);
        var token = watchdog.Token;
        watchdog.Dispose();
        _time.Advance(Timeout * 3);
        Assert.False(token.IsCancellationRequested);
    }

    /// <summary>Moves the clock in small steps until the watchdog fires; returns the silence since the last <c>Seen()</c>.</summary>
    private TimeSpan AdvanceUntilCancelled(SilenceWatchdog watchdog, TimeSpan limit)
    {
        var silence = TimeSpan.Zero;
        while (!watchdog.Token.IsCancellationRequested)
        {
            Assert.True(silence < limit, $"still not cancelled after {silence} of silence");
            _time.Advance(Step);
            silence += Step;
        }
        return silence;
    }
}
