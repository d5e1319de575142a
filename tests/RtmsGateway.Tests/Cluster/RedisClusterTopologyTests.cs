using RtmsGateway.Api.V1;
using RtmsGateway.Ownership;
using RtmsGateway.Sessions;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// The Redis Cluster changes under a live stream: its hash slot (lease, epoch, record, info, history) and its shard's slot
/// (deadline index, session index, lifecycle channel) move to another master, or its master fails over to a replica. No
/// replica exits, the owner keeps its lease (same owner, same epoch, one Zoom connection) and a relayed subscriber keeps
/// reading without a gap. The client library follows ASK and MOVED; a script refused mid-migration is retried.
/// </summary>
public sealed class RedisClusterTopologyTests : IAsyncLifetime
{
    private ClusterUnderTest? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 disposes test classes only through IDisposable or IAsyncLifetime.
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private static List<ulong> Sequences(IEnumerable<SubscribeTranscriptsResponse> responses) =>
        [.. responses.Where(r => r.Segment is not null).Select(r => r.Segment.Header.Sequence)];

    [Fact]
    public async Task Moving_the_streams_slots_to_another_master_mid_stream_keeps_the_owner_and_the_subscriber()
    {
        _cluster = await ClusterUnderTest.StartAsync(topology: RedisTopology.Cluster);
        var redis = (RedisClusterServer)_cluster.Redis;
        await RunAcrossAsync(async streamId =>
        {
            var keys = new RedisKeys(ClusterUnderTest.KeyPrefix);
            // The stream's own slot, its shard's (index and lifecycle channel) and its owner's command channel's.
            var owner = await _cluster.OwnerOfAsync(streamId);
            foreach (var key in new[] { keys.Lease(streamId), keys.Deadlines(keys.ShardOf(streamId)), keys.Commands(owner) }.Distinct())
            {
                var slot = await redis.KeySlotAsync(key);
                var from = await redis.MasterOfAsync(slot);
                Assert.NotEqual(from, await redis.MigrateSlotAsync(slot));
            }
        });
    }

    [Fact]
    public async Task A_master_failover_mid_stream_keeps_the_owner_and_the_subscriber()
    {
        // A 5 s lease: a coordinated failover pauses the old master's clients, then the client must learn the new
        // topology; measured here that blackout is 2–3 s, longer than the suite's usual 2 s lease (a lease shorter than a
        // failover's blackout is taken over — correctly fenced, one owner, with an OWNER_CHANGED gap — not kept).
        _cluster = await ClusterUnderTest.StartAsync(topology: RedisTopology.ClusterWithReplicas, extra: new Dictionary<string, string?> { ["Redis:LeaseTtl"] = "00:00:05" });
        var redis = (RedisClusterServer)_cluster.Redis;
        await RunAcrossAsync(async streamId =>
        {
            var slot = await redis.KeySlotAsync(new RedisKeys(ClusterUnderTest.KeyPrefix).Lease(streamId));
            var from = await redis.MasterOfAsync(slot);
            Assert.NotEqual(from, await redis.FailOverAsync(slot));
        });
    }

    /// <summary>The owner <paramref name="ask"/> lists for a stream, polled with a deadline: the cluster-wide list is read
    /// from Redis and, for the moment the client needs to learn a new topology, falls back to the replica's own sessions.</summary>
    private async Task<string> ListedOwnerAsync(string streamId, GatewayReplica ask)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var listed = (await ask.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.FirstOrDefault(x => x.RtmsStreamId == streamId);
            if (listed is not null)
            {
                return listed.Owner.ReplicaId;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{ask.ReplicaId} should list {streamId}\n{_cluster!.Diagnostics()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Streams a meeting to a relayed subscriber, runs <paramref name="change"/>, and checks everything held.</summary>
    private async Task RunAcrossAsync(Func<string, Task> change)
    {
        var cluster = _cluster!;
        var meeting = await cluster.StartMeetingAsync(via: cluster.Replicas[0]);
        var owner = await cluster.OwnerOfAsync(meeting.StreamId);
        var relay = cluster.Replicas.First(r => r.ReplicaId != owner);
        using var call = relay.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        var responses = await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Segment is not null);
        await using var client = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var keys = new RedisKeys(ClusterUnderTest.KeyPrefix);
        var leaseBefore = (string?)await client.GetDatabase().StringGetAsync(keys.Lease(meeting.StreamId));
        Assert.StartsWith(owner + "|", leaseBefore);

        await change(meeting.StreamId);

        // Two lease TTLs (the test's is 2 s) of transcripts (one per 200 ms) after the change: the lease was renewed
        // through it, or the owner would have stopped streaming.
        responses.AddRange(await StreamReading.ReadAsync(call.ResponseStream, 20, r => r.Segment is not null, TimeSpan.FromSeconds(30)));
        Assert.All(cluster.Replicas, r => Assert.False(r.HasExited, $"{r.ReplicaId} exited\n{cluster.Diagnostics()}"));
        Assert.False(responses.Any(r => r.Gap is not null), $"no gap expected\n{cluster.Diagnostics()}");
        var sequences = Sequences(responses);
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
        Assert.Equal(leaseBefore, (string?)await client.GetDatabase().StringGetAsync(keys.Lease(meeting.StreamId)));
        Assert.True(await client.GetDatabase().KeyTimeToLiveAsync(keys.Lease(meeting.StreamId)) > TimeSpan.Zero);
        Assert.Equal(owner, await ListedOwnerAsync(meeting.StreamId, relay));
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
        Assert.Equal(0, cluster.Simulator.Counters.DuplicateSignalingFlagged);
        // The session index still works: a session started after the change is listed everywhere.
        var later = await cluster.StartMeetingAsync(via: relay);
        Assert.NotEmpty(await ListedOwnerAsync(later.StreamId, cluster.Replicas[0]));

        // Both sharded channels still work: a stop posted to the relay reaches the owner on its command channel, and the
        // owner's Stopped reaches the relay's watcher on the shard's lifecycle channel (the client re-subscribed them).
        using var watch = relay.Client.WatchSessions(new WatchSessionsRequest { IncludeExisting = true });
        await StreamReading.ReadAsync(watch.ResponseStream, 1, r => r.Change == SessionChange.SnapshotEnd);
        (await ZoomWebhooks.PostAsync(cluster.Http, relay.WebhookUrl, ZoomWebhooks.Stopped(meeting.InstanceId, meeting.StreamId, stopReason: 6, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))).EnsureSuccessStatusCode();
        var ended = await StreamReading.ReadToEndAsync(call.ResponseStream);
        Assert.Equal(ZoomStopReason.MeetingEnded, ended[^1].Ended?.StopReason);
        try
        {
            await StreamReading.ReadAsync(watch.ResponseStream, 1, r => r.Change == SessionChange.Stopped && r.Session.RtmsStreamId == meeting.StreamId);
        }
        catch (TimeoutException ex)
        {
            Assert.Fail($"{ex.Message}: the relay should see the session stop\n{cluster.Diagnostics()}");
        }
    }
}
