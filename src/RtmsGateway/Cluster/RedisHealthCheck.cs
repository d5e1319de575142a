using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Degraded (not unhealthy) while Redis is unreachable: sessions keep streaming and subscribers keep reading, but no
/// takeover, relay discovery or cluster-wide listing happens until Redis is back.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy("redis connected")
            : HealthCheckResult.Degraded("redis unreachable: existing sessions keep streaming; takeover and relay discovery paused"));
}
