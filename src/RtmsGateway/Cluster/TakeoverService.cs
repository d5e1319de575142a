using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Hosting;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;

namespace RtmsGateway.Cluster;

/// <summary>
/// Takes over sessions whose owner died or drained: every scan interval (with jitter, so replicas do not stampede) it
/// looks for streams with a record but no live lease and tries to claim them; the lease script lets exactly one win.
/// </summary>
internal sealed partial class TakeoverService(
    IOwnershipStore ownership, SessionManager sessions, DrainState drain, IOptions<RedisOptions> redis, TimeProvider time, ILogger<TakeoverService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = redis.Value.TakeoverScanInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds / 2);
                await Task.Delay(interval + jitter, time, stoppingToken);
                if (drain.IsDraining)
                {
                    return;
                }
                try
                {
                    foreach (var streamId in await ownership.FindOrphansAsync(stoppingToken))
                    {
                        if (await ownership.GetAsync(streamId, stoppingToken) is { OwnerReplicaId: null } orphan)
                        {
                            await sessions.TryTakeOverAsync(orphan.Record, stoppingToken);
                        }
                    }
                }
                catch (StackExchange.Redis.RedisException ex)
                {
                    LogScanFailed(ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Takeover scan failed: {Error}")]
    private partial void LogScanFailed(string error);
}
