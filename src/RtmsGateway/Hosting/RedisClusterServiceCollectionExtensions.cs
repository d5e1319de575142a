using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RtmsGateway.Cluster;
using RtmsGateway.Configuration;
using RtmsGateway.Grpc.Relay;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using StackExchange.Redis;

namespace RtmsGateway.Hosting;

/// <summary>Cluster mode: Redis ownership, the cluster-wide session catalog, the replica registry, relay and takeover.</summary>
public static class RedisClusterServiceCollectionExtensions
{
    public static IServiceCollection AddRedisCluster(this IServiceCollection services)
    {
        services.TryAddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = ConfigurationOptions.Parse(sp.GetRequiredService<IOptions<RedisOptions>>().Value.ConnectionString!);
            // Start (and keep running) while Redis is down; reconnect in the background.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
            // Every replica retries at the same short pace (not the default exponential backoff, which spreads replicas
            // seconds apart): when Redis returns, all owners re-assert their leases within the takeover grace.
            options.ReconnectRetryPolicy = new LinearRetry(500);
            // Redis Cluster: after a master failover the client refuses writes to the demoted node ("cannot be issued to a
            // replica") until it re-reads the topology, by default once a minute — far beyond a lease TTL. Re-read it every
            // two seconds (one command per node), so a failover costs a renewal or two, never a lease.
            options.ConfigCheckSeconds = Math.Min(options.ConfigCheckSeconds, 2);
            return ConnectionMultiplexer.Connect(options);
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            return new RedisKeys(options.KeyPrefix, options.ShardCount);
        });
        services.TryAddSingleton(sp => new OrphanScanScope(sp.GetRequiredService<IOptions<RedisOptions>>().Value.ScannersPerShard));
        services.TryAddSingleton<IOwnershipStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            return new RedisOwnershipStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeys>(), options.LeaseTtl, options.RecordRetention,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OrphanScanScope>(), options.OrphanSweepInterval);
        });
        services.AddHostedService<ReplicaMembership>();
        services.TryAddSingleton<RedisSessionCatalog>();
        services.TryAddSingleton<ISessionCatalog>(sp => sp.GetRequiredService<RedisSessionCatalog>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisSessionCatalog>());
        services.TryAddSingleton<RedisSessionCommandBus>();
        services.TryAddSingleton<ISessionCommandBus>(sp => sp.GetRequiredService<RedisSessionCommandBus>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisSessionCommandBus>());
        services.TryAddSingleton<ReplicaRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<ReplicaRegistry>());
        // The transcript and event history (Redis Streams), written by owners, read for from_start and resumes.
        services.TryAddSingleton<RedisHistoryWriter>();
        services.TryAddSingleton<IHistoryWriter>(sp => sp.GetRequiredService<RedisHistoryWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisHistoryWriter>());
        services.TryAddSingleton<IHistoryReader, RedisHistoryReader>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            return new HistoryPersistence(sp.GetRequiredService<IHistoryWriter>(), sp.GetRequiredService<IHistoryReader>(), options.HistoryWriteWait, options.HistoryReadTimeout);
        });
        services.TryAddSingleton<HistoryBackfill>();
        services.TryAddSingleton<RelayTls>();
        services.TryAddSingleton<SessionRelay>();
        services.AddHostedService<TakeoverService>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready]);
        return services;
    }
}
