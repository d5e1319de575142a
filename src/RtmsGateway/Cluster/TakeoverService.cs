using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;

namespace RtmsGateway.Cluster;

/// <summary>
/// Takes over sessions whose owner died or drained: every scan interval (with jitter, so replicas do not stampede) it
/// looks for streams with a record but no live lease and tries to claim them; the lease script lets exactly one win.
/// While Redis is unreachable a scan fails, is counted and retried; nothing else happens.
/// </summary>
internal sealed class TakeoverService(
    IOwnershipStore ownership, SessionRegistry sessions, DrainState drain, IOptions<RedisOptions> redis, TimeProvider time, GatewayMetrics metrics, ILogger<TakeoverService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = redis.Value.TakeoverScanInterval;
        return BackgroundLoop.RunAsync("takeover", ScanAsync, interval, time, logger, metrics, stoppingToken);

        async Task<TimeSpan> ScanAsync(CancellationToken ct)
        {
            var next = interval + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds / 2);
            if (drain.IsDraining)
            {
                return next;
            }
            foreach (var streamId in await ownership.FindOrphansAsync(ct))
            {
                if (await ownership.GetAsync(streamId, ct) is { OwnerReplicaId: null } orphan)
                {
                    await sessions.TryTakeOverAsync(orphan.Record, ct);
                }
            }
            return next;
        }
    }
}
