using Google.Protobuf;
using Microsoft.Extensions.Options;
using RtmsGateway.Api.V1;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using StackExchange.Redis;

namespace RtmsGateway.Cluster;

/// <summary>
/// The cluster-wide <see cref="ISessionCatalog"/>. Owners write each session's <see cref="SessionInfo"/> to Redis (with a
/// short TTL they keep refreshing, so a dead owner's entries age out and a Redis restart heals itself), index it in its
/// shard's session set, and publish every lifecycle change on its shard's sharded channel (SPUBLISH: on Redis Cluster a
/// message travels to the shard's master only, not over the whole cluster bus). Every replica subscribes to every shard
/// channel, because WatchSessions is cluster-wide. Listing walks the shard sets with cursors and reads the info keys one
/// by one (pipelined: they live in different slots). Local changes reach local watchers directly, so they keep flowing
/// while Redis is down.
/// </summary>
internal sealed partial class RedisSessionCatalog(
    IConnectionMultiplexer redis, RedisKeys keys, SessionDirectory directory, SessionWatchers watchers,
    IOptions<GatewayOptions> gateway, IOptions<FanoutOptions> fanout, TimeProvider time, GatewayMetrics metrics, ILogger<RedisSessionCatalog> logger) : BackgroundService, ISessionCatalog
{
    private static readonly TimeSpan LiveInfoTtl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);
    private const int RefreshBatch = 256;

    private string Self => gateway.Value.ReplicaId;

    public void Announce(SessionInfo info, SessionChange change)
    {
        var message = new WatchSessionsResponse { Change = change, Session = info };
        watchers.Deliver(message);
        _ = PublishAsync(info, message);
    }

    public async Task<IReadOnlyList<SessionInfo>> ListAsync(bool includeStopped, string instanceId, CancellationToken ct)
    {
        var local = directory.List(includeStopped: true, instanceId: string.Empty).ToDictionary(s => s.RtmsStreamId, StringComparer.Ordinal);
        var merged = new Dictionary<string, SessionInfo>(local, StringComparer.Ordinal);
        try
        {
            foreach (var info in await RedisCall.RunAsync(ReadAllAsync, ct))
            {
                merged.TryAdd(info.RtmsStreamId, info);
            }
        }
        catch (OwnershipStoreUnavailableException ex)
        {
            LogListFallback(ex.Message);
        }
        return [.. merged.Values
            .Where(s => (includeStopped || s.State != SessionState.Stopped) && (instanceId.Length == 0 || s.InstanceId == instanceId))
            .OrderBy(s => s.StartedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)];
    }

    public async Task<SessionInfo?> FindAsync(string streamId, string instanceId, CancellationToken ct)
    {
        if (streamId.Length > 0)
        {
            if (directory.FindByStream(streamId) is { } hub)
            {
                return hub.Snapshot();
            }
            try
            {
                var bytes = (byte[]?)await RedisCall.RunAsync(() => redis.GetDatabase().StringGetAsync(keys.Info(streamId)), ct);
                return bytes is null ? null : SessionInfo.Parser.ParseFrom(bytes);
            }
            catch (OwnershipStoreUnavailableException ex)
            {
                throw new SessionCatalogUnavailableException($"The cluster's session list is unreachable ({ex.Message}); retry.", ex);
            }
        }
        var candidates = await ListAsync(includeStopped: true, instanceId, ct);
        return candidates.OrderBy(s => s.State == SessionState.Stopped).ThenByDescending(s => s.StartedAt?.ToDateTimeOffset()).FirstOrDefault();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var shard = 0; shard < keys.ShardCount; shard++)
        {
            await RedisSubscription.SubscribeOnceAsync(redis, RedisChannel.Sharded(keys.Lifecycle(shard)), OnLifecycleMessage, logger, stoppingToken);
        }
        await BackgroundLoop.RunAsync("catalog_refresh", async ct =>
        {
            // In pipelined batches: one write after another took a round trip per session, so a replica with tens of
            // thousands of sessions refreshed each entry less often than its TTL and they dropped out of the list.
            foreach (var batch in directory.Hubs.Where(h => !h.IsStopped).Chunk(RefreshBatch))
            {
                await Task.WhenAll(batch.Select(hub => WriteInfoAsync(hub.Snapshot(), ct)));
            }
            return RefreshInterval;
        }, RefreshInterval, time, logger, metrics, stoppingToken);
    }

    private void OnLifecycleMessage(RedisChannel _, RedisValue message)
    {
        try
        {
            var change = WatchSessionsResponse.Parser.ParseFrom((byte[])message!);
            if (change.Session?.Owner?.ReplicaId != Self)
            {
                watchers.Deliver(change);
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            LogBadMessage(ex.Message);
        }
    }

    private async Task PublishAsync(SessionInfo info, WatchSessionsResponse message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout, time);
            await WriteInfoAsync(info, timeout.Token);
            await RedisCall.RunAsync(() => redis.GetSubscriber().PublishAsync(RedisChannel.Sharded(keys.Lifecycle(keys.ShardOf(info.RtmsStreamId))), message.ToByteArray()), timeout.Token);
        }
        catch (Exception ex) when (ex is OwnershipStoreUnavailableException or OperationCanceledException)
        {
            // Local watchers have it already; the refresh loop rewrites the entry when Redis is back.
            LogPublishFailed(info.RtmsStreamId, ex.Message);
        }
    }

    private async Task WriteInfoAsync(SessionInfo info, CancellationToken ct)
    {
        var db = redis.GetDatabase();
        var ttl = info.State == SessionState.Stopped ? fanout.Value.StoppedSessionRetention : LiveInfoTtl;
        await RedisCall.RunAsync(() => Task.WhenAll(
            db.StringSetAsync(keys.Info(info.RtmsStreamId), info.ToByteArray(), ttl),
            db.SetAddAsync(keys.Sessions(keys.ShardOf(info.RtmsStreamId)), info.RtmsStreamId)), ct);
    }

    private async Task<List<SessionInfo>> ReadAllAsync()
    {
        var db = redis.GetDatabase();
        var shards = await Task.WhenAll(Enumerable.Range(0, keys.ShardCount).Select(shard => ReadShardAsync(db, shard)));
        return [.. shards.SelectMany(s => s)];
    }

    private async Task<List<SessionInfo>> ReadShardAsync(IDatabase db, int shard)
    {
        var ids = new List<RedisValue>();
        await foreach (var id in db.SetScanAsync(keys.Sessions(shard), pageSize: 500))
        {
            ids.Add(id);
        }
        if (ids.Count == 0)
        {
            return [];
        }
        var batch = db.CreateBatch();
        var reads = ids.Select(id => batch.StringGetAsync(keys.Info((string)id!))).ToList();
        batch.Execute();
        var values = await Task.WhenAll(reads);
        var result = new List<SessionInfo>(ids.Count);
        var expired = new List<RedisValue>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (values[i].IsNullOrEmpty)
            {
                expired.Add(ids[i]);
            }
            else
            {
                result.Add(SessionInfo.Parser.ParseFrom((byte[])values[i]!));
            }
        }
        if (expired.Count > 0)
        {
            await db.SetRemoveAsync(keys.Sessions(shard), [.. expired]);
        }
        return result;
    }

    [LoggerMessage(EventId = LogEventIds.CatalogListFallback, Level = LogLevel.Warning, Message = "Redis unavailable for ListSessions ({Error}); listing this replica's sessions only")]
    private partial void LogListFallback(string error);

    [LoggerMessage(EventId = LogEventIds.CatalogPublishFailed, Level = LogLevel.Warning, Message = "Could not publish the change of session {StreamId} to Redis: {Error}")]
    private partial void LogPublishFailed(string streamId, string error);

    [LoggerMessage(EventId = LogEventIds.CatalogBadMessage, Level = LogLevel.Warning, Message = "Ignored an unreadable lifecycle message: {Error}")]
    private partial void LogBadMessage(string error);
}
