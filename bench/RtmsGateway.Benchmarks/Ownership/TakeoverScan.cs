using Microsoft.Extensions.Logging.Abstractions;
using RtmsGateway.Api.V1;
using RtmsGateway.Cluster;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;

namespace RtmsGateway.Benchmarks.Ownership;

/// <summary>
/// <see cref="TakeoverService"/>'s scan for one simulated replica, through the same <see cref="IOwnershipStore"/> calls in the
/// same order (find orphans, wait out <see cref="TakeoverService.Grace"/>, read the stream, claim it), on the same
/// <see cref="BackgroundLoop"/> and jittered interval; a won claim runs the stream as <c>SessionRegistry.TryTakeOverAsync</c>
/// does. (TakeoverService itself hands a claim to a <c>SessionRegistry</c> that dials Zoom, which this harness has no
/// media for.) Every won claim is logged with its time, for takeover latency and the exactly-once check.
/// </summary>
internal sealed class TakeoverScan(TakeoverLog claims, ScanTally scans)
{
    public Task RunAsync(SimulatedReplica replica, TimeProvider time, GatewayMetrics metrics, CancellationToken stoppingToken)
    {
        var ownership = replica.Ownership;
        var interval = replica.ScanInterval;
        var grace = TakeoverService.Grace(ownership.LeaseTtl);
        var orphanedSince = new Dictionary<string, long>(StringComparer.Ordinal);
        return BackgroundLoop.RunAsync("takeover", ScanAsync, interval, time, NullLogger.Instance, metrics, stoppingToken);

        async Task<TimeSpan> ScanAsync(CancellationToken ct)
        {
            var next = interval + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds / 2);
            var started = time.GetTimestamp();
            IReadOnlyList<string> orphans;
            try
            {
                orphans = await ownership.FindOrphansAsync(ct);
            }
            catch (OwnershipStoreUnavailableException)
            {
                scans.Failed();
                throw;
            }
            foreach (var gone in orphanedSince.Keys.Except(orphans, StringComparer.Ordinal).ToList())
            {
                orphanedSince.Remove(gone);
            }
            foreach (var streamId in orphans)
            {
                var since = orphanedSince.TryGetValue(streamId, out var seen) ? seen : orphanedSince[streamId] = time.GetTimestamp();
                if (time.GetElapsedTime(since) < grace || replica.IsRunning(streamId))
                {
                    continue;
                }
                if (await ownership.GetAsync(streamId, ct) is { OwnerReplicaId: null } orphan
                    && await ownership.TryAcquireAsync(orphan.Record, replica.Id, ct) is { } lease)
                {
                    claims.Claimed(streamId, replica.Id, time.GetTimestamp());
                    replica.Run(lease, SessionChange.OwnerChanged);
                }
            }
            scans.Completed(time.GetElapsedTime(started));
            return next;
        }
    }
}
