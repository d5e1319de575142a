using RtmsGateway.Ownership;
using RtmsGateway.Protocol.Webhooks;
using RtmsGateway.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// Orphan detection through the per-shard lease-deadline index, against a real Redis: a scan costs what expired, not what
/// lives; a lost or stale index entry is repaired; exactly one claimant wins an orphan; and the Redis work per session is
/// the same with 2 and with 4 replicas (measured with INFO commandstats).
/// </summary>
public abstract class OrphanIndexTests(RedisTopology topology, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private IRedisUnderTest _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _redis = topology == RedisTopology.Cluster ? await RedisClusterServer.StartAsync() : await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static SessionRecord Record(string streamId) => new()
    {
        StreamId = streamId,
        InstanceId = "instance-" + streamId,
        SignalingUrl = "wss://zoom.example/signal",
        Product = RtmsProduct.Meeting,
        EventTimestamp = 1,
        AcceptedAt = DateTimeOffset.UnixEpoch,
    };

    private RedisOwnershipStore Store(RedisKeys keys, TimeSpan ttl, OrphanScanScope? scope = null, TimeSpan? sweep = null) =>
        new(_connection, keys, ttl, Retention, TimeProvider.System, scope, sweep ?? TimeSpan.FromHours(1));

    [Fact]
    public async Task A_scan_checks_only_the_leases_that_are_due()
    {
        var keys = new RedisKeys("cost:");
        var store = Store(keys, TimeSpan.FromSeconds(30));
        var leases = new List<OwnershipLease>();
        foreach (var i in Enumerable.Range(0, 300))
        {
            leases.Add((await store.TryAcquireAsync(Record($"live-{i}"), "replica-a", CancellationToken.None))!);
        }
        var released = leases.Take(3).ToList();
        foreach (var lease in released)
        {
            await store.ReleaseAsync(lease, CancellationToken.None);
        }
        // The first scan also runs the safety sweep; measure a regular one.
        await store.FindOrphansAsync(CancellationToken.None);

        var before = await RedisCommandCounter.SnapshotAsync(_connection);
        var orphans = await store.FindOrphansAsync(CancellationToken.None);
        var after = await RedisCommandCounter.SnapshotAsync(_connection);

        Assert.Equal(released.Select(l => l.StreamId).Order(), orphans.Order());
        // One range query per shard, and one lease check plus one record check per due entry: nothing per live session.
        Assert.Equal(keys.ShardCount, RedisCommandCounter.Between(before, after, "zrangebyscore"));
        Assert.Equal(released.Count, RedisCommandCounter.Between(before, after, "pttl"));
        Assert.Equal(released.Count, RedisCommandCounter.Between(before, after, "exists"));
    }

    [Fact]
    public async Task A_lost_or_stale_index_entry_is_repaired_and_the_lease_stays_the_truth()
    {
        var keys = new RedisKeys("repair:");
        var store = Store(keys, TimeSpan.FromMilliseconds(600), sweep: TimeSpan.FromMilliseconds(1));
        var db = _connection.GetDatabase();
        var missing = (await store.TryAcquireAsync(Record("missing"), "replica-a", CancellationToken.None))!;
        var stale = (await store.TryAcquireAsync(Record("stale"), "replica-a", CancellationToken.None))!;
        // As if the owner's index writes were lost: one entry gone, one filed as already due.
        await db.SortedSetRemoveAsync(keys.Deadlines(keys.ShardOf("missing")), "missing");
        await db.SortedSetAddAsync(keys.Deadlines(keys.ShardOf("stale")), "stale", 0);

        Assert.Empty(await store.FindOrphansAsync(CancellationToken.None));
        // The sweep filed the missing one again; the scan re-filed the stale one under its lease's real deadline.
        Assert.NotNull(await db.SortedSetScoreAsync(keys.Deadlines(keys.ShardOf("missing")), "missing"));
        Assert.True(await db.SortedSetScoreAsync(keys.Deadlines(keys.ShardOf("stale")), "stale") > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // The owners stop renewing (they died): both are found once their leases expire, and not before.
        var found = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (found.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "both expired leases should be found");
            foreach (var orphan in await store.FindOrphansAsync(CancellationToken.None))
            {
                Assert.Null((await store.GetAsync(orphan, CancellationToken.None))!.OwnerReplicaId);
                found.Add(orphan);
            }
            await Task.Delay(50);
        }
        Assert.Equal(["missing", "stale"], found.Order());
        var next = (await store.TryAcquireAsync(Record("missing"), "replica-b", CancellationToken.None))!;
        Assert.Equal(missing.Epoch + 1, next.Epoch);
        Assert.False(await store.RenewAsync(stale with { ReplicaId = "replica-b" }, CancellationToken.None) && await store.RenewAsync(missing, CancellationToken.None));
    }

    [Fact]
    public async Task Exactly_one_of_many_replicas_claims_an_orphan()
    {
        var keys = new RedisKeys("claim:");
        var ttl = TimeSpan.FromMilliseconds(400);
        // The claimants' leases are long, so the winner still holds its lease when the test reads it on a busy machine.
        var replicas = Enumerable.Range(0, 8).Select(i => (Id: $"replica-{i}", Store: Store(keys, TimeSpan.FromSeconds(30)))).ToList();
        await replicas[0].Store.FindOrphansAsync(CancellationToken.None); // the first scan's sweep, out of the timing
        var acquired = TimeProvider.System.GetTimestamp();
        var first = (await Store(keys, ttl).TryAcquireAsync(Record("contested"), "replica-dead", CancellationToken.None))!;

        // A replica scans every 20 ms until it sees the orphan (the dead owner stopped renewing): the first scan after the
        // lease expired finds it, never one before.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await replicas[0].Store.FindOrphansAsync(CancellationToken.None)).Contains("contested"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the lease should expire");
            await Task.Delay(20);
        }
        var found = TimeProvider.System.GetElapsedTime(acquired);
        Assert.InRange(found, ttl - TimeSpan.FromMilliseconds(50), ttl + TimeSpan.FromSeconds(1));

        // Then every replica claims at once.
        var claims = await Task.WhenAll(replicas.Select(r => r.Store.TryAcquireAsync(Record("contested"), r.Id, CancellationToken.None)));

        var winner = Assert.Single(claims, c => c is not null)!;
        Assert.Equal(first.Epoch + 1, winner.Epoch);
        Assert.Equal(winner.ReplicaId, (await replicas[0].Store.GetAsync("contested", CancellationToken.None))!.OwnerReplicaId);
        Assert.Empty(await replicas[1].Store.FindOrphansAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Redis_work_per_session_is_the_same_with_two_and_four_replicas()
    {
        const int sessions = 200;
        var two = await WorkAsync(replicaCount: 2, sessions);
        var four = await WorkAsync(replicaCount: 4, sessions);
        foreach (var (replicas, work) in new[] { (2, two), (4, four) })
        {
            output.WriteLine($"{topology}, {replicas} replicas, {sessions} sessions, one renewal round (every third of the TTL): "
                + $"{work.Commands / (double)sessions:F3} commands per session (inside scripts included), {work.Scripts / (double)sessions:F3} script calls per session, {work.RangeQueries} range queries");
        }
        // Renewal: two single-slot scripts per session. Scanning: shards × scanners range queries per round, whatever the
        // fleet size (the old full scan was replicas × (1 + 2 × sessions) commands every scan interval).
        Assert.Equal(two, four);
        Assert.Equal(2 * sessions, two.Scripts);
        Assert.Equal(16 * OrphanScanScope.DefaultScannersPerShard, two.RangeQueries);
    }

    private sealed record Work(long Commands, long Scripts, long RangeQueries);

    /// <summary>One round as the fleet does it every third of the TTL: each owner renews its sessions, each replica scans
    /// its shards. Returns what Redis ran for it.</summary>
    private async Task<Work> WorkAsync(int replicaCount, int sessions)
    {
        var keys = new RedisKeys($"work{replicaCount}:");
        var ids = Enumerable.Range(0, replicaCount).Select(i => $"replica-{i}").ToList();
        var replicas = ids.Select(id =>
        {
            var scope = new OrphanScanScope();
            scope.Assign(ids, id, keys.ShardCount);
            return (Id: id, Store: Store(keys, TimeSpan.FromSeconds(30), scope));
        }).ToList();
        var leases = new List<(RedisOwnershipStore Store, OwnershipLease Lease)>();
        for (var i = 0; i < sessions; i++)
        {
            var owner = replicas[i % replicaCount];
            leases.Add((owner.Store, (await owner.Store.TryAcquireAsync(Record($"s{replicaCount}-{i}"), owner.Id, CancellationToken.None))!));
        }
        async Task RoundAsync()
        {
            Assert.All(await Task.WhenAll(leases.Select(l => l.Store.RenewAsync(l.Lease, CancellationToken.None))), Assert.True);
            foreach (var replica in replicas)
            {
                Assert.Empty(await replica.Store.FindOrphansAsync(CancellationToken.None));
            }
        }
        await RoundAsync(); // scripts loaded on every node, first sweeps done
        var before = await RedisCommandCounter.SnapshotAsync(_connection);
        await RoundAsync();
        var after = await RedisCommandCounter.SnapshotAsync(_connection);
        return new Work(
            RedisCommandCounter.Between(before, after, [.. RedisCommandCounter.OwnershipCommands, "pexpire"]),
            RedisCommandCounter.Between(before, after, "evalsha", "eval"),
            RedisCommandCounter.Between(before, after, "zrangebyscore"));
    }
}

/// <summary>The same tests against one redis-server.</summary>
public sealed class OrphanIndexTestsOnStandaloneRedis(ITestOutputHelper output) : OrphanIndexTests(RedisTopology.Standalone, output);

/// <summary>The same tests against a three-master Redis Cluster.</summary>
public sealed class OrphanIndexTestsOnRedisCluster(ITestOutputHelper output) : OrphanIndexTests(RedisTopology.Cluster, output);
