using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace RtmsGateway.Ownership;

/// <summary>
/// <see cref="IOwnershipStore"/> on Redis. Acquire is one Lua script: if no lease exists, <c>INCR</c> the stream's epoch
/// (the fencing token) and <c>SET lease "replica|epoch" PX ttl</c>; the record is stored either way. Renew is a
/// compare-and-<c>PEXPIRE</c>, release a compare-and-<c>DEL</c>, both on the exact "replica|epoch" value, so a replica whose
/// lease expired and was taken can never extend or delete its successor's lease.
/// </summary>
internal sealed class RedisOwnershipStore(IConnectionMultiplexer redis, RedisKeys keys, TimeSpan leaseTtl, TimeSpan recordRetention) : IOwnershipStore
{
    private static readonly LuaScript Acquire = LuaScript.Prepare("""
        redis.call('SET', @record, @recordJson, 'PX', @retention)
        redis.call('SADD', @active, @streamId)
        if redis.call('EXISTS', @lease) == 1 then
          return 0
        end
        local epoch = redis.call('INCR', @epoch)
        redis.call('PEXPIRE', @epoch, @retention)
        redis.call('SET', @lease, @replica .. '|' .. epoch, 'PX', @ttl)
        return epoch
        """);

    // After a Redis restart without persistence the lease is simply gone: the owner re-asserts it with the same value
    // (SET NX, so never over a successor) and restores the epoch floor, record and index, so no session is lost and the
    // fencing epoch never goes backwards.
    private static readonly LuaScript Renew = LuaScript.Prepare("""
        local current = redis.call('GET', @lease)
        if current == @value then
          return redis.call('PEXPIRE', @lease, @ttl)
        end
        if current then
          return 0
        end
        redis.call('SET', @lease, @value, 'PX', @ttl, 'NX')
        local epoch = tonumber(redis.call('GET', @epoch) or '0')
        if epoch < tonumber(@epochValue) then
          redis.call('SET', @epoch, @epochValue, 'PX', @retention)
        end
        redis.call('SET', @record, @recordJson, 'PX', @retention, 'NX')
        redis.call('SADD', @active, @streamId)
        return 1
        """);

    private static readonly LuaScript Release = LuaScript.Prepare("""
        if redis.call('GET', @lease) == @value then
          return redis.call('DEL', @lease)
        end
        return 0
        """);

    public TimeSpan LeaseTtl { get; } = leaseTtl;

    private IDatabase Db => redis.GetDatabase();

    public async Task<OwnershipLease?> TryAcquireAsync(SessionRecord record, string replicaId, CancellationToken ct)
    {
        var result = await RedisCall.RunAsync(() => Db.ScriptEvaluateAsync(Acquire, new
        {
            record = (RedisKey)keys.Record(record.StreamId),
            recordJson = JsonSerializer.Serialize(record, SessionRecordJsonContext.Default.SessionRecord),
            retention = (long)recordRetention.TotalMilliseconds,
            active = (RedisKey)keys.Active,
            streamId = record.StreamId,
            lease = (RedisKey)keys.Lease(record.StreamId),
            epoch = (RedisKey)keys.Epoch(record.StreamId),
            replica = replicaId,
            ttl = (long)LeaseTtl.TotalMilliseconds,
        }), ct);
        var epoch = (long)result;
        return epoch == 0 ? null : new OwnershipLease(record.StreamId, replicaId, (ulong)epoch, record);
    }

    public async Task RegisterAsync(SessionRecord record, CancellationToken ct)
    {
        var db = Db;
        await RedisCall.RunAsync(() => Task.WhenAll(
            db.StringSetAsync(keys.Record(record.StreamId), JsonSerializer.Serialize(record, SessionRecordJsonContext.Default.SessionRecord), recordRetention),
            db.SetAddAsync(keys.Active, record.StreamId)), ct);
    }

    public async Task<bool> RenewAsync(OwnershipLease lease, CancellationToken ct)
    {
        var result = await RedisCall.RunAsync(() => Db.ScriptEvaluateAsync(Renew, new
        {
            lease = (RedisKey)keys.Lease(lease.StreamId),
            value = LeaseValue(lease),
            ttl = (long)LeaseTtl.TotalMilliseconds,
            epoch = (RedisKey)keys.Epoch(lease.StreamId),
            epochValue = (long)lease.Epoch,
            record = (RedisKey)keys.Record(lease.StreamId),
            recordJson = JsonSerializer.Serialize(lease.Record, SessionRecordJsonContext.Default.SessionRecord),
            retention = (long)recordRetention.TotalMilliseconds,
            active = (RedisKey)keys.Active,
            streamId = lease.StreamId,
        }), ct);
        return (long)result == 1;
    }

    public async Task ReleaseAsync(OwnershipLease lease, CancellationToken ct) =>
        await RedisCall.RunAsync(() => Db.ScriptEvaluateAsync(Release, new { lease = (RedisKey)keys.Lease(lease.StreamId), value = LeaseValue(lease) }), ct);

    public async Task ForgetAsync(string streamId, CancellationToken ct)
    {
        var db = Db;
        await RedisCall.RunAsync(() => Task.WhenAll(
            db.KeyDeleteAsync([keys.Record(streamId), keys.Lease(streamId), keys.Epoch(streamId)]),
            db.SetRemoveAsync(keys.Active, streamId)), ct);
    }

    public async Task<SessionOwnership?> GetAsync(string streamId, CancellationToken ct)
    {
        var db = Db;
        var recordTask = db.StringGetAsync(keys.Record(streamId));
        var leaseTask = db.StringGetAsync(keys.Lease(streamId));
        var epochTask = db.StringGetAsync(keys.Epoch(streamId));
        await RedisCall.RunAsync(() => Task.WhenAll(recordTask, leaseTask, epochTask), ct);
        if (recordTask.Result.IsNullOrEmpty)
        {
            return null;
        }
        var record = JsonSerializer.Deserialize((string)recordTask.Result!, SessionRecordJsonContext.Default.SessionRecord)!;
        var owner = leaseTask.Result.IsNullOrEmpty ? null : ((string)leaseTask.Result!).Split('|')[0];
        var epoch = epochTask.Result.IsNullOrEmpty ? 0ul : ulong.Parse((string)epochTask.Result!, CultureInfo.InvariantCulture);
        return new SessionOwnership(record, owner, epoch);
    }

    /// <summary>Streams with a record but no live lease: candidates for takeover.</summary>
    public Task<IReadOnlyList<string>> FindOrphansAsync(CancellationToken ct) => RedisCall.RunAsync(() => FindOrphansAsync(Db), ct);

    private async Task<IReadOnlyList<string>> FindOrphansAsync(IDatabase db)
    {
        var active = await db.SetMembersAsync(keys.Active);
        if (active.Length == 0)
        {
            return [];
        }
        var batch = db.CreateBatch();
        var checks = active.Select(id => (Id: (string)id!, Lease: batch.KeyExistsAsync(keys.Lease((string)id!)), Record: batch.KeyExistsAsync(keys.Record((string)id!)))).ToList();
        batch.Execute();
        await Task.WhenAll(checks.SelectMany(c => new[] { c.Lease, c.Record }));
        var stale = checks.Where(c => !c.Record.Result).Select(c => (RedisValue)c.Id).ToArray();
        if (stale.Length > 0)
        {
            await db.SetRemoveAsync(keys.Active, stale);
        }
        return [.. checks.Where(c => c.Record.Result && !c.Lease.Result).Select(c => c.Id)];
    }

    private static string LeaseValue(OwnershipLease lease) => string.Create(CultureInfo.InvariantCulture, $"{lease.ReplicaId}|{lease.Epoch}");
}
