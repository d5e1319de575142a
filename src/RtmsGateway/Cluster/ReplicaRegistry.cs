using Microsoft.Extensions.Options;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// Publishes this replica's internal gRPC address in Redis (refreshed, with a TTL, so dead replicas disappear) and
/// resolves other replicas' addresses for the relay.
/// </summary>
internal sealed partial class ReplicaRegistry(
    IConnectionMultiplexer redis, RedisKeys keys, IOptions<GatewayOptions> gateway, TimeProvider time, GatewayMetrics metrics, ILogger<ReplicaRegistry> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    /// <summary>The advertised address of <paramref name="replicaId"/>, or null when it is not registered (dead, or never advertised).</summary>
    /// <exception cref="OwnershipStoreUnavailableException">Redis is unreachable.</exception>
    public async Task<Uri?> ResolveAsync(string replicaId, CancellationToken ct)
    {
        var address = (string?)await RedisCall.RunAsync(() => redis.GetDatabase().StringGetAsync(keys.Replica(replicaId)), ct);
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri : null;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = gateway.Value;
        if (options.AdvertisedAddress is null)
        {
            LogNoAddress(options.ReplicaId);
            return Task.CompletedTask;
        }
        return BackgroundLoop.RunAsync("replica_registry", async ct =>
        {
            await RedisCall.RunAsync(() => redis.GetDatabase().StringSetAsync(keys.Replica(options.ReplicaId), options.AdvertisedAddress.ToString(), Ttl), ct);
            return Interval;
        }, Interval, time, logger, metrics, stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await RedisCall.RunAsync(() => redis.GetDatabase().KeyDeleteAsync(keys.Replica(gateway.Value.ReplicaId)), cancellationToken);
        }
        catch (Exception ex) when (ex is OwnershipStoreUnavailableException or OperationCanceledException)
        {
            // It expires on its own.
        }
    }

    [LoggerMessage(EventId = LogEventIds.ReplicaWithoutAddress, Level = LogLevel.Warning, Message = "Gateway:AdvertisedAddress is not set: replica {ReplicaId} cannot be relayed from")]
    private partial void LogNoAddress(string replicaId);
}
