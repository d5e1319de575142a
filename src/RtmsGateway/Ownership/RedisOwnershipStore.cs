using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace RtmsGateway.Ownership;

/// <summary>
/// <see cref="IOwnershipStore"/> on Redis, standalone or Redis Cluster with the same code.
/// <para>
/// The truth is per stream, in one slot (see <see cref="RedisKeys"/>): acquire is one Lua script — if no lease exists,
/// <c>INCR</c> the stream's epoch (the fencing token) and <c>SET lease "replica|epoch" PX ttl</c>; the record is stored
/// either way. Renew is a compare-and-<c>PEXPIRE</c>, release a compare-and-<c>DEL</c>, both on the exact "replica|epoch"
/// value, so a replica whose lease expired and was taken can never extend or delete its successor's lease.
/// </para>
/// <para>
/// Orphan detection reads an index, never the sessions: per shard, a sorted set of lease deadlines and a set of streams
/// with a record, both written by a second, single-slot script after the lease script (best effort: the lease key is the
/// truth, the index may be stale and every hit is re-checked). A scan asks each of its shards only for deadlines already
/// past (<c>ZRANGEBYSCORE -inf now</c>), so its cost grows with the leases that actually expired, checks each hit's lease
/// and record, re-files live ones under their real deadline (<c>PTTL</c>) and drops forgotten ones. A slow sweep walks each
/// shard's record set with a cursor and files what the index is missing (a lost index write, a failed-over shard master)
/// as due now. A dead owner's lease expires within the TTL and is therefore found by the first scan after it; the acquire
/// script lets exactly one claimant win.
/// </para>
/// </summary>
internal sealed class RedisOwnershipStore : IOwnershipStore
{
    private const int ScanBatch = 500;

    private static readonly LuaScript Acquire = LuaScript.Prepare("""
        redis.call('SET', @record, @recordJson, 'PX', @retention)
        if redis.call('EXISTS', @lease) == 1 then
          return 0
        end
        local epoch = redis.call('INCR', @epoch)
        redis.call('PEXPIRE', @epoch, @retention)
        redis.call('SET', @lease, @replica .. '|' .. epoch, 'PX', @ttl)
        return epoch
        """);

    // After a Redis restart without persistence the lease is simply gone: the owner re-asserts it with the same value
    // (SET NX, so never over a successor) and restores the epoch floor and record (the index follows in the second
    // write), so no session is lost and the fencing epoch never goes backwards.
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
        return 1
        """);

    private static readonly LuaScript Release = LuaScript.Prepare("""
        if redis.call('GET', @lease) == @value then
          return redis.call('DEL', @lease)
        end
        return 0
        """);

    // The shard index, one slot: the stream has a record, and its lease is due at @deadline (unix ms).
    private static readonly LuaScript Index = LuaScript.Prepare("""
        redis.call('SADD', @active, @streamId)
        redis.call('ZADD', @deadlines, @deadline, @streamId)
        return 1
        """);

    private static readonly LuaScript Unindex = LuaScript.Prepare("""
        redis.call('SREM', @active, @streamId)
        redis.call('ZREM', @deadlines, @streamId)
        return 1
        """);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly TimeSpan _recordRetention;
    private readonly TimeProvider _time;
    private readonly OrphanScanScope _scope;
    private readonly TimeSpan _sweepInterval;
    private readonly long[] _lastSweep;
    private readonly RedisTopologyRefresh _topology;

    /// <param name="scope">Which shards this replica scans; null: all of them.</param>
    /// <param name="sweepInterval">How often each scanned shard's record set is walked to repair the deadline index; null: 30 s.</param>
    public RedisOwnershipStore(
        IConnectionMultiplexer redis, RedisKeys keys, TimeSpan leaseTtl, TimeSpan recordRetention,
        TimeProvider? time = null, OrphanScanScope? scope = null, TimeSpan? sweepInterval = null)
    {
        _redis = redis;
        _keys = keys;
        LeaseTtl = leaseTtl;
        _recordRetention = recordRetention;
        _time = time ?? TimeProvider.System;
        _scope = scope ?? new OrphanScanScope(scannersPerShard: int.MaxValue);
        _sweepInterval = sweepInterval ?? TimeSpan.FromSeconds(30);
        _lastSweep = new long[keys.ShardCount];
        Array.Fill(_lastSweep, long.MinValue);
        _topology = new RedisTopologyRefresh(redis, _time);
    }

    public TimeSpan LeaseTtl { get; }

    private IDatabase Db => _redis.GetDatabase();

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<OwnershipLease?> TryAcquireAsync(SessionRecord record, string replicaId, CancellationToken ct)
    {
        var result = await RunAsync(() => Db.ScriptEvaluateAsync(Acquire, new
        {
            record = (RedisKey)_keys.Record(record.StreamId),
            recordJson = Serialize(record),
            retention = (long)_recordRetention.TotalMilliseconds,
            lease = (RedisKey)_keys.Lease(record.StreamId),
            epoch = (RedisKey)_keys.Epoch(record.StreamId),
            replica = replicaId,
            ttl = (long)LeaseTtl.TotalMilliseconds,
        }), ct);
        var epoch = (long)result;
        // Lost: someone else's lease, whose deadline we do not know; file it as due so a scanner re-files it by its PTTL.
        await IndexAsync(record.StreamId, epoch == 0 ? 0 : Deadline(), ct);
        return epoch == 0 ? null : new OwnershipLease(record.StreamId, replicaId, (ulong)epoch, record);
    }

    public async Task RegisterAsync(SessionRecord record, CancellationToken ct)
    {
        await RunAsync(() => Db.StringSetAsync(_keys.Record(record.StreamId), Serialize(record), _recordRetention), ct);
        // Due at once: a record without a lease is for another replica to take.
        await IndexAsync(record.StreamId, 0, ct);
    }

    public async Task<bool> RenewAsync(OwnershipLease lease, CancellationToken ct)
    {
        var result = await RunAsync(() => Db.ScriptEvaluateAsync(Renew, new
        {
            lease = (RedisKey)_keys.Lease(lease.StreamId),
            value = LeaseValue(lease),
            ttl = (long)LeaseTtl.TotalMilliseconds,
            epoch = (RedisKey)_keys.Epoch(lease.StreamId),
            epochValue = (long)lease.Epoch,
            record = (RedisKey)_keys.Record(lease.StreamId),
            recordJson = Serialize(lease.Record),
            retention = (long)_recordRetention.TotalMilliseconds,
        }), ct);
        var renewed = (long)result == 1;
        if (renewed)
        {
            await IndexAsync(lease.StreamId, Deadline(), ct);
        }
        return renewed;
    }

    public async Task ReleaseAsync(OwnershipLease lease, CancellationToken ct)
    {
        var released = (long)await RunAsync(() => Db.ScriptEvaluateAsync(Release, new { lease = (RedisKey)_keys.Lease(lease.StreamId), value = LeaseValue(lease) }), ct);
        if (released == 1)
        {
            // Due now, so a drained stream is taken over by the next scan rather than at its old deadline.
            await IndexAsync(lease.StreamId, 0, ct);
        }
    }

    public async Task ForgetAsync(string streamId, CancellationToken ct)
    {
        await RunAsync(() => Db.KeyDeleteAsync([_keys.Record(streamId), _keys.Lease(streamId), _keys.Epoch(streamId)]), ct);
        await BestEffortAsync(() => Db.ScriptEvaluateAsync(Unindex, new { active = (RedisKey)_keys.Active(_keys.ShardOf(streamId)), deadlines = (RedisKey)_keys.Deadlines(_keys.ShardOf(streamId)), streamId }), ct);
    }

    public async Task<SessionOwnership?> GetAsync(string streamId, CancellationToken ct)
    {
        var db = Db;
        var recordTask = db.StringGetAsync(_keys.Record(streamId));
        var leaseTask = db.StringGetAsync(_keys.Lease(streamId));
        var epochTask = db.StringGetAsync(_keys.Epoch(streamId));
        await RunAsync(() => Task.WhenAll(recordTask, leaseTask, epochTask), ct);
        if (recordTask.Result.IsNullOrEmpty)
        {
            return null;
        }
        var record = JsonSerializer.Deserialize((string)recordTask.Result!, SessionRecordJsonContext.Default.SessionRecord)!;
        var owner = leaseTask.Result.IsNullOrEmpty ? null : ((string)leaseTask.Result!).Split('|')[0];
        var epoch = epochTask.Result.IsNullOrEmpty ? 0ul : ulong.Parse((string)epochTask.Result!, CultureInfo.InvariantCulture);
        return new SessionOwnership(record, owner, epoch);
    }

    /// <summary>Streams with a record but no live lease, among the shards this replica scans: candidates for takeover.</summary>
    public async Task<IReadOnlyList<string>> FindOrphansAsync(CancellationToken ct)
    {
        var shards = _scope.ShardsToScan(_keys.ShardCount);
        var scans = shards.Select(shard => RunAsync(() => ScanShardAsync(shard), ct)).ToList();
        var orphans = new List<string>();
        foreach (var scan in scans)
        {
            orphans.AddRange(await scan);
        }
        return orphans;
    }

    private async Task<List<string>> ScanShardAsync(int shard)
    {
        var db = Db;
        if (_lastSweep[shard] == long.MinValue || _time.GetElapsedTime(_lastSweep[shard]) >= _sweepInterval)
        {
            await SweepAsync(db, shard);
            _lastSweep[shard] = _time.GetTimestamp();
        }
        var now = NowMs;
        var due = await db.SortedSetRangeByScoreAsync(_keys.Deadlines(shard), double.NegativeInfinity, now, take: ScanBatch);
        if (due.Length == 0)
        {
            return [];
        }
        var batch = db.CreateBatch();
        var checks = due.Select(id => (Id: (string)id!, Ttl: batch.KeyTimeToLiveAsync(_keys.Lease((string)id!)), Record: batch.KeyExistsAsync(_keys.Record((string)id!)))).ToList();
        batch.Execute();
        await Task.WhenAll(checks.SelectMany(c => new Task[] { c.Ttl, c.Record }));
        var orphans = new List<string>();
        var refile = new List<SortedSetEntry>();
        foreach (var (id, ttl, record) in checks)
        {
            if (!record.Result)
            {
                await db.ScriptEvaluateAsync(Unindex, new { active = (RedisKey)_keys.Active(shard), deadlines = (RedisKey)_keys.Deadlines(shard), streamId = id });
            }
            else if (ttl.Result is { } remaining)
            {
                // A live lease filed under a stale deadline (its owner's index write failed, or clocks disagree).
                refile.Add(new SortedSetEntry(id, now + (long)remaining.TotalMilliseconds));
            }
            else
            {
                orphans.Add(id);
            }
        }
        if (refile.Count > 0)
        {
            await db.SortedSetAddAsync(_keys.Deadlines(shard), [.. refile], SortedSetWhen.Exists);
        }
        return orphans;
    }

    /// <summary>Files every stream of the shard's record set that the deadline index misses as due now (walked with a cursor).</summary>
    private async Task SweepAsync(IDatabase db, int shard)
    {
        var page = new List<SortedSetEntry>(ScanBatch);
        await foreach (var id in db.SetScanAsync(_keys.Active(shard), pageSize: ScanBatch))
        {
            page.Add(new SortedSetEntry(id, 0));
            if (page.Count == ScanBatch)
            {
                await db.SortedSetAddAsync(_keys.Deadlines(shard), [.. page], SortedSetWhen.NotExists);
                page.Clear();
            }
        }
        if (page.Count > 0)
        {
            await db.SortedSetAddAsync(_keys.Deadlines(shard), [.. page], SortedSetWhen.NotExists);
        }
    }

    /// <summary>Files the stream in its shard's index. Best effort: a lost write only delays detection until a scan or
    /// sweep repairs it; the lease itself is already in place.</summary>
    private Task IndexAsync(string streamId, long deadline, CancellationToken ct)
    {
        var shard = _keys.ShardOf(streamId);
        return BestEffortAsync(() => Db.ScriptEvaluateAsync(Index, new { active = (RedisKey)_keys.Active(shard), deadlines = (RedisKey)_keys.Deadlines(shard), deadline, streamId }), ct);
    }

    private async Task BestEffortAsync(Func<Task> call, CancellationToken ct)
    {
        try
        {
            await RunAsync(call, ct);
        }
        catch (OwnershipStoreUnavailableException)
        {
            // The index is repaired by scans and sweeps; the lease key is the truth.
        }
    }

    private async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await RedisCall.RunAsync(call, ct);
        }
        catch (OwnershipStoreUnavailableException ex)
        {
            _topology.OnFailure(ex);
            throw;
        }
    }

    private async Task RunAsync(Func<Task> call, CancellationToken ct)
    {
        try
        {
            await RedisCall.RunAsync(call, ct);
        }
        catch (OwnershipStoreUnavailableException ex)
        {
            _topology.OnFailure(ex);
            throw;
        }
    }

    private long Deadline() => NowMs + (long)LeaseTtl.TotalMilliseconds;

    private static string Serialize(SessionRecord record) => JsonSerializer.Serialize(record, SessionRecordJsonContext.Default.SessionRecord);

    private static string LeaseValue(OwnershipLease lease) => string.Create(CultureInfo.InvariantCulture, $"{lease.ReplicaId}|{lease.Epoch}");
}
