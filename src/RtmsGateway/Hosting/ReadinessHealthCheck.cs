using Microsoft.Extensions.Diagnostics.HealthChecks;
using RtmsGateway.Sessions;

namespace RtmsGateway.Hosting;

/// <summary>Ready while not draining: a draining replica must get no new subscribers or webhooks.</summary>
internal sealed class ReadinessHealthCheck(DrainState drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy());
}
