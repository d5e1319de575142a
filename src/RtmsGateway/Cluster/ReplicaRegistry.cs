using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Ownership;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Publishes this replica's internal gRPC address in Redis (refreshed, with a TTL, so dead replicas disappear) and
/// resolves other replicas' addresses for the relay.
/// </summary>
internal sealed partial class ReplicaRegistry(IConnectionMultiplexer redis, RedisKeys keys, IOptions<GatewayOptions> gateway, ILogger<ReplicaRegistry> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    public async Task<Uri?> ResolveAsync(string replicaId)
    {
        var address = (string?)await redis.GetDatabase().StringGetAsync(keys.Replica(replicaId));
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = gateway.Value;
        if (options.AdvertisedAddress is null)
        {
            LogNoAddress(options.ReplicaId);
            return;
        }
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(keys.Replica(options.ReplicaId), options.AdvertisedAddress.ToString(), Ttl);
            }
            catch (RedisException ex)
            {
                LogHeartbeatFailed(ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(keys.Replica(gateway.Value.ReplicaId));
        }
        catch (RedisException)
        {
            // It expires on its own.
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Gateway:AdvertisedAddress is not set: replica {ReplicaId} cannot be relayed from")]
    private partial void LogNoAddress(string replicaId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Replica heartbeat to Redis failed: {Error}")]
    private partial void LogHeartbeatFailed(string error);
}
