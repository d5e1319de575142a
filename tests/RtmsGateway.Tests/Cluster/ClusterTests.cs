using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Sessions;
using RtmsGateway.Grpc;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Cluster;

/// <summary>Several gateway processes, one Redis, one simulated Zoom: ownership, relay, failover, drain, Redis restart.</summary>
public abstract class ClusterTests(RedisTopology topology) : IAsyncLifetime
{
    private ClusterUnderTest _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterUnderTest.StartAsync(topology: topology);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static SubscriptionTarget Target(string streamId) => new() { RtmsStreamId = streamId };

    private static List<TranscriptSegment> Segments(IEnumerable<SubscribeTranscriptsResponse> responses) =>
        [.. responses.Where(r => r.Segment is not null).Select(r => r.Segment)];

    [Fact]
    public async Task A_webhook_on_one_replica_is_streamed_by_another()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = await _cluster.OwnerOfAsync(meeting.StreamId, ask: _cluster.Replicas[2]);
        Assert.Equal("replica-a", owner);

        var far = _cluster.Replicas[2];
        using var call = far.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId) });
        var segments = Segments(await StreamReading.ReadAsync(call.ResponseStream, 5, r => r.Segment is not null));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => segments[0].Header.Sequence + (ulong)i), segments.Select(s => s.Header.Sequence));

        using var byInstance = far.Client.SubscribeAudio(new SubscribeAudioRequest { Target = new SubscriptionTarget { InstanceId = meeting.InstanceId } });
        var audio = await StreamReading.ReadAsync(byInstance.ResponseStream, 10, r => r.Frame is not null);
        Assert.All(audio.Where(r => r.Frame is not null), r => Assert.Equal(640, r.Frame.Data.Length));
    }

    /// <summary>Relay behaviour, independent of the Redis topology: run on a single Redis only (see the derived classes).</summary>
    protected async Task A_subscriber_on_another_replica_gets_the_owners_converted_audioCore()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = await _cluster.OwnerOfAsync(meeting.StreamId);
        var far = _cluster.Replicas.First(r => r.ReplicaId != owner);
        // The relay asks the owner for the same format: 16 kHz mono L16 arrives as 8 kHz µ-law, 20 ms (160 bytes) a frame.
        using var call = far.Client.SubscribeAudio(new SubscribeAudioRequest
        {
            Target = Target(meeting.StreamId),
            Format = new AudioFormatRequest { Codec = AudioCodec.G711Ulaw },
        });
        var frames = (await StreamReading.ReadAsync(call.ResponseStream, 50, r => r.Frame is not null)).Where(r => r.Frame is not null).Select(r => r.Frame).ToList();
        Assert.All(frames, f => Assert.Equal((AudioCodec.G711Ulaw, 8000u, 1u, 160), (f.Format.Codec, f.Format.SampleRateHz, f.Format.Channels, f.Data.Length)));
        Assert.Equal(Enumerable.Range(0, frames.Count).Select(i => frames[0].Header.Sequence + (ulong)i), frames.Select(f => f.Header.Sequence));
        var tones = meeting.Participants.Select(p => p.ToneHz).ToList();
        // Mixed audio carries the active speaker's tone: every 200 ms (but one, which may span a change of speaker) is one of them.
        var windows = frames.Skip(1).Chunk(10).Select(w => AudioDecoding.ToneHz(AudioDecoding.MuLaw([.. w.SelectMany(f => f.Data.ToByteArray())]), 8000, 1)).ToList();
        Assert.True(windows.Count(hz => tones.Any(t => Math.Abs(hz - t) < t * 0.03)) >= windows.Count - 1, $"heard {string.Join(", ", windows.Select(h => h.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} Hz; tones {string.Join(", ", tones)}");
    }

    /// <summary>Relay behaviour, independent of the Redis topology: run on a single Redis only (see the derived classes).</summary>
    protected async Task A_relayed_refusal_keeps_the_owners_reasonCore()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = await _cluster.OwnerOfAsync(meeting.StreamId);
        var far = _cluster.Replicas.First(r => r.ReplicaId != owner);
        // Only the owner knows the channel's last sequence: it refuses the resume point, the relay passes the answer on.
        var target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId, ResumeAfterSequence = (9 * 1_000_000_000_000UL) + 1 };
        var refused = await ErrorDetails.FirstErrorAsync(far.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target }));
        Assert.Equal(StatusCode.OutOfRange, refused.StatusCode);
        var details = ErrorDetails.Of(refused);
        Assert.Equal(("FUTURE_RESUME_POINT", meeting.StreamId), (details.Reason, details.Metadata["rtms_stream_id"]));
        Assert.Equal(["target.resume_after_sequence"], details.BadFields);
    }

    [Fact]
    public async Task Duplicate_webhooks_to_every_replica_open_one_rtms_connection()
    {
        var meeting = _cluster.Simulator.AddMeeting();
        meeting.Begin();
        var body = ZoomWebhooks.Started(meeting.InstanceId, meeting.StreamId, _cluster.Simulator.SignalingUri.ToString());
        var deliveries = await Task.WhenAll(_cluster.Replicas.Concat(_cluster.Replicas).Select(r => ZoomWebhooks.PostAsync(_cluster.Http, r.WebhookUrl, body)));
        Assert.All(deliveries, d => Assert.True(d.IsSuccessStatusCode));
        using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
        await meeting.WaitForStreamingAsync(timeout.Token);
        // Every replica lists the session with the same single owner.
        var owners = await Task.WhenAll(_cluster.Replicas.Select(r => _cluster.OwnerOfAsync(meeting.StreamId, r)));
        Assert.Single(owners.Distinct());
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
        Assert.Equal(0, _cluster.Simulator.Counters.DuplicateSignalingFlagged);
    }

    [Fact]
    public async Task Killing_the_owner_moves_the_session_and_a_relayed_subscriber_keeps_its_call()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = _cluster.Replica(await _cluster.OwnerOfAsync(meeting.StreamId));
        var subscriberReplica = _cluster.Replicas.First(r => r != owner);
        using var call = subscriberReplica.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId) });
        var before = Segments(await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Segment is not null));

        owner.Kill();
        var after = await StreamReading.ReadAsync(call.ResponseStream, 5, r => r.Segment is not null && Sequences.EpochOf(r.Segment.Header.Sequence) > Sequences.EpochOf(before[0].Header.Sequence), TimeSpan.FromSeconds(30));
        var newOwner = await _cluster.OwnerOfAsync(meeting.StreamId, subscriberReplica);
        Assert.NotEqual(owner.ReplicaId, newOwner);
        Assert.True(meeting.Counters.SignalingHandshakes >= 2);
        Assert.Equal(0, _cluster.Simulator.Counters.DuplicateSignalingFlagged);

        var sequences = before.Concat(Segments(after)).Select(s => s.Header.Sequence).ToList();
        Assert.Equal(sequences.OrderBy(s => s), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        // Only the ownership change may be announced as a gap; nothing else was lost.
        Assert.All(after.Where(r => r.Gap is not null), r => Assert.Equal(Gap.Types.Reason.OwnerChanged, r.Gap.Reason));
    }

    [Fact]
    public async Task A_draining_owner_hands_its_sessions_over_and_its_subscribers_resume_elsewhere()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        var owner = _cluster.Replica(await _cluster.OwnerOfAsync(meeting.StreamId));
        var other = _cluster.Replicas.First(r => r != owner);
        using var direct = owner.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meeting.StreamId) });
        var before = Segments(await StreamReading.ReadAsync(direct.ResponseStream, 2, r => r.Segment is not null));

        var terminating = owner.TerminateAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(() => StreamReading.ReadToEndAsync(direct.ResponseStream));
        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
        Assert.Equal("DRAINING", ErrorDetails.Of(ended).Reason);
        var resumeAfter = ResumeTrailer.Read(ended.Trailers) ?? before[^1].Header.Sequence;
        await terminating;

        var target = Target(meeting.StreamId);
        target.ResumeAfterSequence = resumeAfter;
        using var resumed = other.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = target });
        var next = Segments(await StreamReading.ReadAsync(resumed.ResponseStream, 3, r => r.Segment is not null, TimeSpan.FromSeconds(30)));
        Assert.All(next, s => Assert.True(s.Header.Sequence > resumeAfter));
        Assert.NotEqual(owner.ReplicaId, await _cluster.OwnerOfAsync(meeting.StreamId, other));
        Assert.Equal(0, _cluster.Simulator.Counters.DuplicateSignalingFlagged);
    }

    [Fact]
    public async Task A_redis_restart_loses_no_session_and_never_yields_two_owners()
    {
        var meetings = new[] { await _cluster.StartMeetingAsync(), await _cluster.StartMeetingAsync(via: _cluster.Replicas[1]) };
        var owners = await Task.WhenAll(meetings.Select(m => _cluster.OwnerOfAsync(m.StreamId)));
        var watcher = _cluster.Replica(owners[0]);
        using var call = watcher.Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = Target(meetings[0].StreamId) });
        await StreamReading.ReadAsync(call.ResponseStream, 1, r => r.Segment is not null);

        await _cluster.Redis.RestartAsync(whileDown: async () =>
        {
            // Media keeps flowing to subscribers of the owner while Redis is down.
            Assert.NotEmpty(await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Segment is not null));
        });

        // Wait until the owners re-asserted their leases and republished the sessions.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var listed = await _cluster.Replicas[2].Client.ListSessionsAsync(new ListSessionsRequest());
            if (meetings.All(m => listed.Sessions.Any(s => s.RtmsStreamId == m.StreamId)))
            {
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "sessions should be listed again after the Redis restart\n" + _cluster.Diagnostics());
            await Task.Delay(100);
        }
        Assert.Equal(owners, await Task.WhenAll(meetings.Select(m => _cluster.OwnerOfAsync(m.StreamId))));
        Assert.NotEmpty(await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Segment is not null));
        Assert.All(meetings, m => Assert.Equal(1, m.Counters.SignalingHandshakes));
        Assert.Equal(0, _cluster.Simulator.Counters.DuplicateSignalingFlagged);
    }
}

/// <summary>The same tests against one redis-server.</summary>
public sealed class ClusterTestsOnStandaloneRedis() : ClusterTests(RedisTopology.Standalone)
{
    // Relay-only behaviour: the Redis topology does not change it, so it runs here only.
    [Fact]
    public Task A_subscriber_on_another_replica_gets_the_owners_converted_audio() => A_subscriber_on_another_replica_gets_the_owners_converted_audioCore();

    [Fact]
    public Task A_relayed_refusal_keeps_the_owners_reason() => A_relayed_refusal_keeps_the_owners_reasonCore();
}

/// <summary>The same tests against a three-master Redis Cluster (all but the relay-only ones, to keep the suite short).</summary>
public sealed class ClusterTestsOnRedisCluster() : ClusterTests(RedisTopology.Cluster);
