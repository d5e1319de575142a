using RtmsGateway.Observability;

namespace RtmsGateway.Sessions;

/// <summary>
/// Ages replay buffers out on a timer, not only on their next add: a channel that went quiet (a stopped session, a camera
/// turned off) frees what it held within a second of it passing the retention.
/// </summary>
internal sealed class ReplaySweeper(SessionDirectory directory, TimeProvider time, GatewayMetrics metrics, ILogger<ReplaySweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("replay_sweeper", _ =>
        {
            foreach (var hub in directory.Hubs)
            {
                hub.EvictExpired();
            }
            return Task.FromResult(Interval);
        }, Interval, time, logger, metrics, stoppingToken);
}
