using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;

namespace RtmsGateway.Cluster;

/// <summary>
/// Takes over sessions whose owner died or drained: every scan interval (with jitter, so replicas do not stampede) it
/// looks for streams with a record but no live lease and tries to claim them; the lease script lets exactly one win. With
/// Redis the look-up reads only the lease deadlines already due, in the index shards this replica scans (see
/// <see cref="RedisOwnershipStore"/> and <see cref="OrphanScanScope"/>), so its cost follows expired leases, not sessions
/// × replicas. A
/// stream must have been seen orphaned for <see cref="Grace"/> (half the lease TTL) first: after Redis was unreachable
/// every lease may have expired while the owners kept streaming; all replicas reconnect at the same 500 ms pace and the
/// owners' renewals (retried every 250 ms meanwhile) re-assert the leases within the grace, so no other replica claims a
/// stream its owner still serves. The grace adds half a TTL to failover after a crash. While Redis is
/// unreachable a scan fails, is counted and retried; nothing else happens.
/// </summary>
internal sealed class TakeoverService(
    IOwnershipStore ownership, SessionRegistry sessions, DrainState drain, IOptions<RedisOptions> redis, TimeProvider time, GatewayMetrics metrics, ILogger<TakeoverService> logger) : BackgroundService
{
    /// <summary>How long a stream must stay orphaned before it is claimed.</summary>
    public static TimeSpan Grace(TimeSpan leaseTtl) => leaseTtl / 2;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = redis.Value.TakeoverScanInterval;
        var grace = Grace(ownership.LeaseTtl);
        var orphanedSince = new Dictionary<string, long>(StringComparer.Ordinal);
        return BackgroundLoop.RunAsync("takeover", ScanAsync, interval, time, logger, metrics, stoppingToken);

        async Task<TimeSpan> ScanAsync(CancellationToken ct)
        {
            var next = interval + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds / 2);
            if (drain.IsDraining)
            {
                return next;
            }
            var orphans = await ownership.FindOrphansAsync(ct);
            foreach (var gone in orphanedSince.Keys.Except(orphans, StringComparer.Ordinal).ToList())
            {
                orphanedSince.Remove(gone);
            }
            foreach (var streamId in orphans)
            {
                var since = orphanedSince.TryGetValue(streamId, out var seen) ? seen : orphanedSince[streamId] = time.GetTimestamp();
                if (time.GetElapsedTime(since) < grace)
                {
                    continue;
                }
                if (await ownership.GetAsync(streamId, ct) is { OwnerReplicaId: null } orphan)
                {
                    await sessions.TryTakeOverAsync(orphan.Record, ct);
                }
            }
            return next;
        }
    }
}
