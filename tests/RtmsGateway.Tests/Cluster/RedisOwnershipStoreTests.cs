using RtmsGateway.Ownership;
using RtmsGateway.Protocol.Webhooks;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace RtmsGateway.Tests.Cluster;

/// <summary>The Redis lease: one owner at a time, a fencing epoch that only grows, and survival of a Redis restart.</summary>
public abstract class RedisOwnershipStoreTests(RedisTopology topology) : IAsyncLifetime
{
    private IRedisUnderTest _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _redis = topology == RedisTopology.Cluster ? await RedisClusterServer.StartAsync() : await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private RedisOwnershipStore Store(TimeSpan? ttl = null) =>
        new(_connection, new RedisKeys("test:"), ttl ?? TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));

    private static SessionRecord Record(string streamId = "stream-1", string url = "wss://zoom.example/signal") => new()
    {
        StreamId = streamId,
        InstanceId = "meeting+/uuid==",
        SignalingUrl = url,
        Product = RtmsProduct.Meeting,
        EventTimestamp = 42,
        AcceptedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public async Task Only_one_replica_acquires_and_the_record_is_stored()
    {
        var store = Store();
        var a = await store.TryAcquireAsync(Record(), "replica-a", CancellationToken.None);
        var b = await store.TryAcquireAsync(Record(url: "wss://zoom.example/other"), "replica-b", CancellationToken.None);
        Assert.NotNull(a);
        Assert.Null(b);
        Assert.Equal(1ul, a!.Epoch);
        var current = await store.GetAsync("stream-1", CancellationToken.None);
        Assert.Equal("replica-a", current!.OwnerReplicaId);
        // The newest record is kept (a failover URL reaches whoever takes over next).
        Assert.Equal("wss://zoom.example/other", current.Record.SignalingUrl);
        Assert.Equal("meeting+/uuid==", current.Record.InstanceId);
    }

    [Fact]
    public async Task A_released_or_expired_lease_goes_to_the_next_owner_with_a_higher_epoch_and_the_old_one_cannot_renew()
    {
        var store = Store(TimeSpan.FromMilliseconds(300));
        var first = (await store.TryAcquireAsync(Record(), "replica-a", CancellationToken.None))!;
        await store.ReleaseAsync(first, CancellationToken.None);
        Assert.Contains("stream-1", await store.FindOrphansAsync(CancellationToken.None));
        var second = (await store.TryAcquireAsync(Record(), "replica-b", CancellationToken.None))!;
        Assert.Equal(first.Epoch + 1, second.Epoch);
        Assert.False(await store.RenewAsync(first, CancellationToken.None));
        Assert.True(await store.RenewAsync(second, CancellationToken.None));

        // Expiry: stop renewing and the lease lapses.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!(await store.FindOrphansAsync(CancellationToken.None)).Contains("stream-1"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the lease should expire");
            await Task.Delay(50);
        }
        var third = (await store.TryAcquireAsync(Record(), "replica-c", CancellationToken.None))!;
        Assert.Equal(second.Epoch + 1, third.Epoch);
        Assert.False(await store.RenewAsync(second, CancellationToken.None));
        // A stale owner's release must not free its successor's lease.
        await store.ReleaseAsync(second, CancellationToken.None);
        Assert.Equal("replica-c", (await store.GetAsync("stream-1", CancellationToken.None))!.OwnerReplicaId);
    }

    [Fact]
    public async Task After_a_redis_restart_the_owner_reasserts_its_lease_and_the_epoch_never_goes_back()
    {
        var store = Store();
        await store.TryAcquireAsync(Record(), "replica-x", CancellationToken.None);
        var owner = await store.TryAcquireAsync(Record() with { StreamId = "stream-1" }, "replica-y", CancellationToken.None);
        Assert.Null(owner);
        var lease = (await store.GetAsync("stream-1", CancellationToken.None))!;
        var held = new OwnershipLease("stream-1", "replica-x", lease.Epoch, lease.Record);

        await _redis.RestartAsync();
        await WaitConnectedAsync();
        Assert.Null(await store.GetAsync("stream-1", CancellationToken.None));

        Assert.True(await store.RenewAsync(held, CancellationToken.None));
        var restored = (await store.GetAsync("stream-1", CancellationToken.None))!;
        Assert.Equal("replica-x", restored.OwnerReplicaId);
        Assert.Equal(held.Epoch, restored.Epoch);
        Assert.Equal(held.Record.SignalingUrl, restored.Record.SignalingUrl);
        Assert.Null(await store.TryAcquireAsync(Record(), "replica-y", CancellationToken.None));
        await store.ReleaseAsync(held, CancellationToken.None);
        var next = (await store.TryAcquireAsync(Record(), "replica-y", CancellationToken.None))!;
        Assert.True(next.Epoch > held.Epoch);
    }

    [Fact]
    public async Task A_forgotten_stream_is_neither_an_orphan_nor_known()
    {
        var store = Store();
        var lease = (await store.TryAcquireAsync(Record("stream-9"), "replica-a", CancellationToken.None))!;
        await store.ForgetAsync(lease.StreamId, CancellationToken.None);
        Assert.DoesNotContain("stream-9", await store.FindOrphansAsync(CancellationToken.None));
        Assert.Null(await store.GetAsync("stream-9", CancellationToken.None));
    }

    private async Task WaitConnectedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await _connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}

/// <summary>The same tests against one redis-server.</summary>
public sealed class RedisOwnershipStoreTestsOnStandaloneRedis() : RedisOwnershipStoreTests(RedisTopology.Standalone);

/// <summary>The same tests against a three-master Redis Cluster.</summary>
public sealed class RedisOwnershipStoreTestsOnRedisCluster() : RedisOwnershipStoreTests(RedisTopology.Cluster);
