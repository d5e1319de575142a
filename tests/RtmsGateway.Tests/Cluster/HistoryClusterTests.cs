using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Protocol;
using RtmsGateway.Sessions;
using RtmsGateway.Testing;
using StackExchange.Redis;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// The session's whole transcript, from any replica, even after the owner died: real redis-server, real gateway processes
/// (the owner killed with SIGKILL), the history read back through the public API and checked in Redis itself.
/// </summary>
public abstract class HistoryClusterTests(RedisTopology topology) : IAsyncLifetime
{
    private const string Prefix = "cluster-test:";
    private ClusterUnderTest _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterUnderTest.StartAsync(replicas: 2, topology: topology, extra: new Dictionary<string, string?>
    {
        ["Redis:HistoryRetentionAfterEnd"] = "00:10:00",
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static SubscriptionTarget Target(string streamId, ulong? resumeAfter = null, bool fromStart = false)
    {
        var target = new SubscriptionTarget { RtmsStreamId = streamId, FromStart = fromStart };
        if (resumeAfter is { } after)
        {
            target.ResumeAfterSequence = after;
        }
        return target;
    }

    private static string HistoryKey(string streamId, string channel) => $"{Prefix}history:{{{streamId}}}:{channel}";

    private static ulong SequenceOf(SubscribeTranscriptsResponse r) => r.Segment?.Header.Sequence ?? 0;

    /// <summary>Reads a call until the server side breaks it (the owner was killed) or it ends.</summary>
    private static async Task<List<T>> ReadUntilBrokenAsync<T>(IAsyncStreamReader<T> stream)
    {
        var all = new List<T>();
        using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
        try
        {
            while (await stream.MoveNext(timeout.Token))
            {
                all.Add(stream.Current);
            }
        }
        catch (RpcException) when (!timeout.IsCancellationRequested)
        {
        }
        return all;
    }

    /// <summary>Polls Redis (a condition with a deadline, not a sleep) until <paramref name="done"/> holds.</summary>
    private async Task WaitForRedisAsync(Func<IDatabase, Task<bool>> done, string what)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_cluster.Redis.ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await done(redis.GetDatabase()))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}\n{_cluster.Diagnostics()}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task From_start_on_a_replica_that_does_not_own_the_session_returns_every_transcript_since_the_start()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = _cluster.Replica(await _cluster.OwnerOfAsync(meeting.StreamId));
        var far = _cluster.Replicas.First(r => r != owner);
        using (var live = owner.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId) }))
        {
            await StreamReading.ReadAsync(live.ResponseStream, 4, r => r.Segment is not null);
        }

        using var history = far.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId, fromStart: true) });
        var responses = await StreamReading.ReadAsync(history.ResponseStream, 8, r => r.Segment is not null);
        Assert.DoesNotContain(responses, r => r.Gap is not null);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => Sequences.First(1) + (ulong)i), responses.Select(SequenceOf));

        // And the owner stored them in Redis, under the stream's hash tag.
        await WaitForRedisAsync(async db => await db.StreamLengthAsync(HistoryKey(meeting.StreamId, "transcripts")) >= 4, "the transcripts should be in the Redis history");
    }

    [Fact]
    public async Task After_the_owner_is_killed_a_resumed_reader_gets_everything_the_old_owner_published_then_one_owner_changed_gap()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = _cluster.Replica(await _cluster.OwnerOfAsync(meeting.StreamId));
        var survivor = _cluster.Replicas.First(r => r != owner);
        using var live = owner.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId) });
        using var liveEvents = owner.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Target(meeting.StreamId, fromStart: true) });

        // A reader that stops at some sequence (its consumer went away).
        ulong stoppedAt;
        using (var early = owner.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId) }))
        {
            stoppedAt = SequenceOf((await StreamReading.ReadAsync(early.ResponseStream, 2, r => r.Segment is not null)).Last(r => r.Segment is not null));
        }
        // Transcripts flow on past it; then the owner dies mid-meeting.
        var seen = await StreamReading.ReadAsync(live.ResponseStream, 1, r => SequenceOf(r) >= stoppedAt + 5);
        var seenEvents = await StreamReading.ReadAsync(liveEvents.ResponseStream, 1, r => r.Event is not null);
        owner.Kill();
        seen.AddRange(await ReadUntilBrokenAsync(live.ResponseStream));
        seenEvents.AddRange(await ReadUntilBrokenAsync(liveEvents.ResponseStream));
        var published = seen.Where(r => SequenceOf(r) > stoppedAt).Select(SequenceOf).ToList();
        Assert.NotEmpty(published);

        // Resumed on the survivor: the old owner's stored items after the resume point, one OWNER_CHANGED gap, the new owner's.
        using var resumed = survivor.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId, resumeAfter: stoppedAt) });
        var after = await StreamReading.ReadAsync(resumed.ResponseStream, 3, r => Sequences.EpochOf(SequenceOf(r)) > 1, TimeSpan.FromSeconds(30));
        var sequences = after.Where(r => r.Segment is not null).Select(SequenceOf).ToList();
        Assert.Subset(sequences.ToHashSet(), published.ToHashSet());
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        var oldEpoch = sequences.Where(s => Sequences.EpochOf(s) == 1).ToList();
        Assert.Equal(Enumerable.Range(1, oldEpoch.Count).Select(i => stoppedAt + (ulong)i), oldEpoch);
        var gap = Assert.Single(after, r => r.Gap is not null).Gap;
        Assert.Equal(Gap.Types.Reason.OwnerChanged, gap.Reason);
        Assert.Equal(oldEpoch[^1] + 1, gap.FirstMissingSequence);
        var firstNew = sequences.First(s => Sequences.EpochOf(s) > 1);
        Assert.Equal(Sequences.First(Sequences.EpochOf(firstNew)), firstNew);
        Assert.Equal(firstNew - 1, gap.LastMissingSequence);
        Assert.Equal(firstNew, SequenceOf(after[after.IndexOf(after.Single(r => r.Gap is not null)) + 1]));

        // from_start on the new owner: the old owner's transcript and events too.
        Assert.Equal(survivor.ReplicaId, await _cluster.OwnerOfAsync(meeting.StreamId, survivor));
        using var whole = survivor.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId, fromStart: true) });
        var all = await StreamReading.ReadAsync(whole.ResponseStream, 1, r => Sequences.EpochOf(SequenceOf(r)) > 1);
        var allOld = all.Where(r => Sequences.EpochOf(SequenceOf(r)) == 1).Select(SequenceOf).ToList();
        Assert.Equal(Enumerable.Range(0, allOld.Count).Select(i => Sequences.First(1) + (ulong)i), allOld);
        Assert.Subset(allOld.ToHashSet(), seen.Where(r => r.Segment is not null).Select(SequenceOf).ToHashSet());
        Assert.Equal(Gap.Types.Reason.OwnerChanged, Assert.Single(all, r => r.Gap is not null).Gap.Reason);

        var oldEvents = seenEvents.Where(r => r.Event is not null).Select(r => r.Event.Header.Sequence).ToHashSet();
        Assert.NotEmpty(oldEvents);
        using var events = survivor.Client.SubscribeEvents(new SubscribeEventsRequest { Target = Target(meeting.StreamId, fromStart: true) });
        var eventsNow = await StreamReading.ReadAsync(events.ResponseStream, 1, r => r.Event is not null && Sequences.EpochOf(r.Event.Header.Sequence) > 1);
        Assert.Subset(eventsNow.Where(r => r.Event is not null).Select(r => r.Event.Header.Sequence).ToHashSet(), oldEvents);
        Assert.Equal(0, _cluster.Simulator.Counters.DuplicateSignalingFlagged);
    }

    [Fact]
    public async Task A_revoked_stream_has_its_history_deleted_and_an_ended_one_gets_the_retention_ttl()
    {
        var revoked = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var ended = await _cluster.StartMeetingAsync(via: _cluster.Replicas[1]);
        foreach (var meeting in new[] { revoked, ended })
        {
            await WaitForRedisAsync(async db => await db.StreamLengthAsync(HistoryKey(meeting.StreamId, "transcripts")) >= 2, "transcripts should be stored");
            // Live: only the long safety TTL.
            await WaitForRedisAsync(async db => await db.KeyTimeToLiveAsync(HistoryKey(meeting.StreamId, "transcripts")) > TimeSpan.FromHours(1), "a live history should carry the safety TTL");
        }

        await revoked.StopAsync(StopReason.StreamRevoked);
        await ended.StopAsync(StopReason.MeetingEnded);

        await WaitForRedisAsync(async db => !await db.KeyExistsAsync(HistoryKey(revoked.StreamId, "transcripts")) && !await db.KeyExistsAsync(HistoryKey(revoked.StreamId, "events")),
            "STREAM_REVOKED should delete the history");
        await WaitForRedisAsync(async db => await db.KeyTimeToLiveAsync(HistoryKey(ended.StreamId, "transcripts")) is { } ttl && ttl <= TimeSpan.FromMinutes(10) && ttl > TimeSpan.FromMinutes(9),
            "an ended session's history should expire after Redis:HistoryRetentionAfterEnd");
        await WaitForRedisAsync(async db => await db.KeyTimeToLiveAsync(HistoryKey(ended.StreamId, "events")) is { } ttl && ttl <= TimeSpan.FromMinutes(10),
            "the events history too");
    }

    [Fact]
    public async Task While_redis_is_down_transcripts_keep_flowing_and_when_it_returns_the_history_is_written()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = _cluster.Replica(await _cluster.OwnerOfAsync(meeting.StreamId));
        using var live = owner.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId) });
        var responses = await StreamReading.ReadAsync(live.ResponseStream, 2, r => r.Segment is not null);
        var duringOutage = new List<ulong>();

        await _cluster.Redis.RestartAsync(whileDown: async () =>
        {
            // Each waits at most Redis:HistoryWriteWait for an acknowledgement that cannot come, then flows anyway.
            var during = await StreamReading.ReadAsync(live.ResponseStream, 6, r => r.Segment is not null);
            duringOutage.AddRange(during.Where(r => r.Segment is not null).Select(SequenceOf));
            responses.AddRange(during);
            Assert.All(_cluster.Replicas, r => Assert.False(r.HasExited, $"{r.ReplicaId} exited during the outage\n{_cluster.Diagnostics()}"));
        });

        // Redis came back empty: what the owner could not write meanwhile is written now, in order.
        var wanted = duringOutage.Select(s => $"{Sequences.EpochOf(s)}-{s % Sequences.EpochStride}").ToList();
        await WaitForRedisAsync(async db =>
        {
            var ids = (await db.StreamRangeAsync(HistoryKey(meeting.StreamId, "transcripts"))).Select(e => (string)e.Id!).ToList();
            return wanted.All(ids.Contains) && ids.SequenceEqual(ids.OrderBy(id => ulong.Parse(id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)));
        }, "the items published during the outage should be written once Redis is back");
        responses.AddRange(await StreamReading.ReadAsync(live.ResponseStream, 3, r => r.Segment is not null));

        var sequences = responses.Where(r => r.Segment is not null).Select(SequenceOf).ToList();
        Assert.DoesNotContain(responses, r => r.Gap is not null);
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
        Assert.All(_cluster.Replicas, r => Assert.False(r.HasExited));
    }
}

/// <summary>The same tests against one redis-server.</summary>
public sealed class HistoryClusterTestsOnStandaloneRedis() : HistoryClusterTests(RedisTopology.Standalone);

/// <summary>The same tests against a three-master Redis Cluster.</summary>
public sealed class HistoryClusterTestsOnRedisCluster() : HistoryClusterTests(RedisTopology.Cluster);
