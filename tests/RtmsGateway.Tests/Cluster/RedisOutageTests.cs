using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Grpc;
using RtmsGateway.Testing;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// Faults that outlast every timeout, against real processes: Redis gone for longer than the lease TTL, the client's
/// sync timeout and the catalog's refresh; a relaying replica drained under its subscribers. Nothing exits, nothing is
/// lost silently, and every call a replica ends carries the resume point.
/// </summary>
public abstract class RedisOutageTests(RedisTopology topology) : IAsyncLifetime
{
    /// <summary>Audio frames are 20 ms apart: this many frames is the outage's length (15 s), measured by the stream itself.</summary>
    private const int OutageFrames = 750;

    private ClusterUnderTest _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterUnderTest.StartAsync(topology: topology);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_redis_outage_longer_than_every_timeout_stops_no_replica_and_relayed_media_keeps_flowing()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = _cluster.Replica(await _cluster.OwnerOfAsync(meeting.StreamId));
        var relay = _cluster.Replicas.First(r => r != owner);
        using var call = relay.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        var frames = new List<SubscribeAudioResponse>(await StreamReading.ReadAsync(call.ResponseStream, 10, r => r.Frame is not null));

        await _cluster.Redis.RestartAsync(whileDown: async () =>
        {
            frames.AddRange(await StreamReading.ReadAsync(call.ResponseStream, OutageFrames, r => r.Frame is not null, TimeSpan.FromSeconds(60)));
            Assert.All(_cluster.Replicas, r => Assert.False(r.HasExited, $"{r.ReplicaId} exited during the outage\n{_cluster.Diagnostics()}"));
            // A lookup that needs Redis now is refused as retryable, never as an unknown failure.
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var late = relay.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = "not-" + meeting.StreamId } });
                await late.ResponseStream.MoveNext(CancellationToken.None);
            });
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            // Listing falls back to what this replica knows instead of failing.
            await relay.Client.ListSessionsAsync(new ListSessionsRequest());
        });

        // Redis came back empty: the owner re-asserts its lease and republishes the session; still exactly one owner.
        await WaitUntilListedEverywhereAsync(meeting.StreamId);
        Assert.All(await Task.WhenAll(_cluster.Replicas.Select(r => _cluster.OwnerOfAsync(meeting.StreamId, r))), o => Assert.Equal(owner.ReplicaId, o));
        frames.AddRange(await StreamReading.ReadAsync(call.ResponseStream, 20, r => r.Frame is not null));

        Assert.All(_cluster.Replicas, r => Assert.False(r.HasExited, $"{r.ReplicaId} exited\n{_cluster.Diagnostics()}"));
        Assert.DoesNotContain(frames, f => f.Gap is not null);
        var sequences = frames.Select(f => f.Frame.Header.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => sequences[0] + (ulong)i), sequences);
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
        Assert.Equal(0, _cluster.Simulator.Counters.DuplicateSignalingFlagged);
    }

    /// <summary>Relay behaviour, independent of the Redis topology: run on a single Redis only (see the derived classes).</summary>
    protected async Task Draining_a_relaying_replica_ends_its_calls_with_unavailable_and_the_resume_pointCore()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = _cluster.Replica(await _cluster.OwnerOfAsync(meeting.StreamId));
        var relay = _cluster.Replicas.First(r => r != owner);
        var other = _cluster.Replicas.First(r => r != owner && r != relay);
        using var call = relay.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        var before = await StreamReading.ReadAsync(call.ResponseStream, 10, r => r.Frame is not null);
        // More relayed calls on the same replica, of another meeting: every one of them must end the same way.
        var second = await _cluster.StartMeetingAsync(via: owner);
        var others = Enumerable.Range(0, 4)
            .Select(_ => relay.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { RtmsStreamId = second.StreamId } }))
            .ToList();
        foreach (var relayed in others)
        {
            await StreamReading.ReadAsync(relayed.ResponseStream, 3, r => r.Frame is not null);
        }
        var endings = others.Select(EndingAsync).ToList();

        var terminating = relay.TerminateAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
                before.Add(call.ResponseStream.Current);
            }
        });
        await terminating;
        Assert.True(ended.StatusCode == StatusCode.Unavailable, $"{ended.Status}\n---- relay {relay.ReplicaId} ----\n{relay.Output}");
        var resumeAfter = ResumeTrailer.Read(ended.Trailers);
        Assert.True(resumeAfter is not null, $"{ended.Status}\n---- relay {relay.ReplicaId} ----\n{relay.Output}");
        foreach (var (status, trailer) in await Task.WhenAll(endings))
        {
            Assert.Equal(StatusCode.Unavailable, status);
            Assert.NotNull(trailer);
        }
        Assert.Equal(before.Last(r => r.Frame is not null).Frame.Header.Sequence, resumeAfter);

        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId, ResumeAfterSequence = resumeAfter.Value };
        using var resumed = other.Client.SubscribeAudio(new SubscribeAudioRequest { Target = target });
        var next = await StreamReading.ReadAsync(resumed.ResponseStream, 10, r => r.Frame is not null);
        Assert.DoesNotContain(next, r => r.Gap is not null);
        Assert.Equal(resumeAfter.Value + 1, next[0].Frame.Header.Sequence);
        Assert.Equal(owner.ReplicaId, await _cluster.OwnerOfAsync(meeting.StreamId, other));
    }

    /// <summary>Reads a call to its end: its status and resume trailer.</summary>
    private static async Task<(StatusCode Status, ulong? Trailer)> EndingAsync(AsyncServerStreamingCall<SubscribeAudioResponse> call)
    {
        try
        {
            using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
            }
            return (StatusCode.OK, null);
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, ResumeTrailer.Read(ex.Trailers));
        }
    }

    /// <summary>Polls every replica's ListSessions (a condition, with a generous deadline) until each lists the stream.</summary>
    private async Task WaitUntilListedEverywhereAsync(string streamId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var replica in _cluster.Replicas)
        {
            while (!(await replica.Client.ListSessionsAsync(new ListSessionsRequest())).Sessions.Any(s => s.RtmsStreamId == streamId))
            {
                Assert.True(DateTime.UtcNow < deadline, $"{replica.ReplicaId} should list {streamId} again after Redis returned\n{_cluster.Diagnostics()}");
                await Task.Delay(100);
            }
        }
    }
}

/// <summary>The same tests against one redis-server.</summary>
public sealed class RedisOutageTestsOnStandaloneRedis() : RedisOutageTests(RedisTopology.Standalone)
{
    // Relay-only behaviour: the Redis topology does not change it, so it runs here only.
    [Fact]
    public Task Draining_a_relaying_replica_ends_its_calls_with_unavailable_and_the_resume_point() => Draining_a_relaying_replica_ends_its_calls_with_unavailable_and_the_resume_pointCore();
}

/// <summary>The same tests against a three-master Redis Cluster (all but the relay-only ones, to keep the suite short).</summary>
public sealed class RedisOutageTestsOnRedisCluster() : RedisOutageTests(RedisTopology.Cluster);
