using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Keeps this replica in the fleet's member list (<see cref="RedisKeys.Members"/>: replica id → last heartbeat) and hands
/// the live members to <see cref="OrphanScanScope"/>, which decides the shards this replica scans for orphans. One script
/// per heartbeat (every third of the lease TTL) drops members silent for a lease TTL, refreshes this one and returns the
/// rest: a dead replica leaves the list when its leases expire, so its shards move exactly when there is something to
/// find in them. A draining replica leaves the list at once (it takes nothing over). When the heartbeat fails the scope
/// falls back to every shard: more work while Redis is unwell, never a shard nobody scans.
/// </summary>
internal sealed class ReplicaMembership(
    IConnectionMultiplexer redis, RedisKeys keys, OrphanScanScope scope, DrainState drain, IOptions<GatewayOptions> gateway, IOptions<RedisOptions> options,
    TimeProvider time, GatewayMetrics metrics, ILogger<ReplicaMembership> logger) : BackgroundService
{
    // Script arguments arrive as strings: @live is compared with '1', never the number 1 (which no string equals, so every
    // heartbeat used to take this replica out of the list and every replica scanned every shard).
    private static readonly LuaScript Heartbeat = LuaScript.Prepare("""
        redis.call('ZREMRANGEBYSCORE', @members, '-inf', @expired)
        if @live == '1' then
          redis.call('ZADD', @members, @now, @self)
        else
          redis.call('ZREM', @members, @self)
        end
        return redis.call('ZRANGE', @members, 0, -1)
        """);

    private string Self => gateway.Value.ReplicaId;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ttl = options.Value.LeaseTtl;
        var interval = ttl / 3;
        return BackgroundLoop.RunAsync("replica_membership", async ct =>
        {
            try
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                var members = (RedisValue[]?)await RedisCall.RunAsync(() => redis.GetDatabase().ScriptEvaluateAsync(Heartbeat, new
                {
                    members = (RedisKey)keys.Members,
                    expired = now - (long)ttl.TotalMilliseconds,
                    live = drain.IsDraining ? 0 : 1,
                    now,
                    self = Self,
                }), ct) ?? [];
                scope.Assign(members.Select(m => (string)m!), Self, keys.ShardCount);
            }
            catch (OwnershipStoreUnavailableException)
            {
                scope.Reset();
                throw;
            }
            return interval;
        }, interval, time, logger, metrics, stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await RedisCall.RunAsync(() => redis.GetDatabase().SortedSetRemoveAsync(keys.Members, Self), cancellationToken);
        }
        catch (Exception ex) when (ex is OwnershipStoreUnavailableException or OperationCanceledException)
        {
            // It ages out within a lease TTL.
        }
    }
}
