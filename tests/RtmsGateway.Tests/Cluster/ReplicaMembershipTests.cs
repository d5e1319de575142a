using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RtmsGateway.Cluster;
using RtmsGateway.Configuration;
using RtmsGateway.Observability;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using RtmsGateway.Testing;
using StackExchange.Redis;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// The member list that narrows each replica's orphan scan, through the real heartbeat against a real Redis: replicas that
/// heartbeat are listed and split the shards (each shard scanned by exactly two of them, none by everyone); a draining or
/// stopped replica leaves the list and its shards move to the others. <see cref="OrphanScanScopeTests"/> checks the
/// rendezvous choice itself; this checks that the fleet actually feeds it.
/// </summary>
public sealed class ReplicaMembershipTests : IAsyncLifetime
{
    private const int Shards = RedisKeys.DefaultShardCount;
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromMilliseconds(900);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<Member> _members = [];
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.StopAsync();
        }
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
        await _meters.DisposeAsync();
    }

    private sealed record Member(string Id, ReplicaMembership Membership, OrphanScanScope Scope, DrainState Drain)
    {
        public bool Stopped { get; private set; }

        public async Task StopAsync()
        {
            if (!Stopped)
            {
                Stopped = true;
                await Membership.StopAsync(CancellationToken.None);
            }
        }
    }

    private async Task<Member> StartAsync(RedisKeys keys, string id)
    {
        var scope = new OrphanScanScope();
        var drain = new DrainState();
        var membership = new ReplicaMembership(
            _connection, keys, scope, drain,
            Options.Create(new GatewayOptions { ReplicaId = id }),
            Options.Create(new RedisOptions { LeaseTtl = LeaseTtl }),
            TimeProvider.System, new GatewayMetrics(_meters.GetRequiredService<IMeterFactory>()), NullLogger<ReplicaMembership>.Instance);
        await membership.StartAsync(CancellationToken.None);
        var member = new Member(id, membership, scope, drain);
        _members.Add(member);
        return member;
    }

    /// <summary>Waits (on the heartbeats, not a fixed sleep) until the listed members are exactly <paramref name="expected"/>
    /// and each of them scans what rendezvous hashing over that list assigns it.</summary>
    private async Task<string[]> SettledAsync(RedisKeys keys, IReadOnlyList<Member> expected)
    {
        var ids = expected.Select(m => m.Id).Order(StringComparer.Ordinal).ToArray();
        var started = TimeProvider.System.GetTimestamp();
        string[] listed = [];
        while (TimeProvider.System.GetElapsedTime(started) < Deadline)
        {
            listed = [.. (await _connection.GetDatabase().SortedSetRangeByRankAsync(keys.Members)).Select(v => (string)v!).Order(StringComparer.Ordinal)];
            if (listed.SequenceEqual(ids) && expected.All(m => m.Scope.ShardsToScan(Shards).SequenceEqual(OrphanScanScope.Compute(ids, m.Id, Shards, 2))))
            {
                return listed;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"members listed: [{string.Join(", ", listed)}], expected [{string.Join(", ", ids)}]; shards scanned: "
            + string.Join("; ", expected.Select(m => $"{m.Id}: {m.Scope.ShardsToScan(Shards).Count}")));
        return listed;
    }

    private static void AssertEveryShardScannedTwice(IEnumerable<Member> scanners)
    {
        var scopes = scanners.Select(m => m.Scope.ShardsToScan(Shards)).ToList();
        foreach (var shard in Enumerable.Range(0, Shards))
        {
            Assert.Equal(2, scopes.Count(s => s.Contains(shard)));
        }
        Assert.All(scopes, s => Assert.True(s.Count < Shards, "a replica of a fleet of several scans every shard"));
    }

    [Fact]
    public async Task Heartbeating_replicas_are_listed_and_split_the_shards_two_scanners_each()
    {
        var keys = new RedisKeys("members-split:");
        var fleet = new List<Member>();
        foreach (var i in Enumerable.Range(0, 5))
        {
            fleet.Add(await StartAsync(keys, $"replica-{i}"));
        }

        await SettledAsync(keys, fleet);

        AssertEveryShardScannedTwice(fleet);
        Assert.Equal(Shards * 2, fleet.Sum(m => m.Scope.ShardsToScan(Shards).Count));
    }

    [Fact]
    public async Task A_draining_or_stopped_replica_leaves_the_list_and_its_shards_move_to_the_others()
    {
        var keys = new RedisKeys("members-leave:");
        var fleet = new List<Member>();
        foreach (var i in Enumerable.Range(0, 4))
        {
            fleet.Add(await StartAsync(keys, $"replica-{i}"));
        }
        await SettledAsync(keys, fleet);

        fleet[0].Drain.BeginDrain();
        await SettledAsync(keys, fleet[1..]);
        AssertEveryShardScannedTwice(fleet[1..]);

        await fleet[1].StopAsync();
        await SettledAsync(keys, fleet[2..]);
        // Two replicas left: both scan every shard, which is two scanners per shard.
        Assert.All(fleet[2..], m => Assert.Equal(Shards, m.Scope.ShardsToScan(Shards).Count));
    }
}
