using System.Diagnostics;

namespace RtmsGateway.Simulator;

/// <summary>
/// The one loop that drives every meeting: each tick, every live meeting produces the audio, video, transcripts,
/// keep-alives and timeouts that are due. Thousands of meetings cost one timer and no task per meeting; sends only
/// enqueue (each socket has its own writer), so a slow client never delays the loop.
/// </summary>
internal sealed partial class PacingLoop(Func<SimulatedMeeting[]> meetings, SimulatorClock clock, TimeSpan interval, SimulatorCounters counters, ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, clock.Time);
        var budget = interval.TotalMilliseconds;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var started = Stopwatch.GetTimestamp();
                var now = clock.MonoMs;
                foreach (var meeting in meetings())
                {
                    if (!meeting.IsLive)
                    {
                        continue;
                    }
                    try
                    {
                        meeting.Tick(now);
                    }
                    catch (Exception ex)
                    {
                        LogTickFailed(ex, meeting.StreamId);
                    }
                }
                if (Stopwatch.GetElapsedTime(started).TotalMilliseconds > budget)
                {
                    counters.SlowTick();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 9301, Level = LogLevel.Error, Message = "Simulated stream {StreamId}: pacing failed")]
    private partial void LogTickFailed(Exception ex, string streamId);
}
