using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Cluster;

/// <summary>
/// Zoom delivers a stream's later webhooks (failover, interruption, stop) to whichever replica its load balancer picks.
/// The replica that runs the stream must act on them, once, wherever they land.
/// </summary>
public abstract class WebhookRoutingTests(RedisTopology topology) : IAsyncLifetime
{
    private ClusterUnderTest _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterUnderTest.StartAsync(topology: topology);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>Signaling handshakes the simulator accepted (a reconnect racing the old socket's close may be refused once as a duplicate).</summary>
    private static long Accepted(MeetingCounters counters) => counters.SignalingHandshakes - counters.SignalingRefused;

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>A meeting owned by replica-a, with the replica Zoom will post its later webhooks to (a non-owner).</summary>
    private async Task<(SimulatedMeeting Meeting, GatewayReplica NonOwner)> MeetingOwnedByAAsync()
    {
        var meeting = await _cluster.StartMeetingAsync(via: _cluster.Replicas[0]);
        Assert.Equal("replica-a", await _cluster.OwnerOfAsync(meeting.StreamId));
        return (meeting, _cluster.Replicas[2]);
    }

    private async Task PostAsync(GatewayReplica to, string body) =>
        (await ZoomWebhooks.PostAsync(_cluster.Http, to.WebhookUrl, body)).EnsureSuccessStatusCode();

    [Fact]
    public async Task An_rtms_stopped_on_a_non_owner_ends_the_session_on_its_owner()
    {
        var (meeting, nonOwner) = await MeetingOwnedByAAsync();
        using var call = _cluster.Replicas[1].Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        await StreamReading.ReadAsync(call.ResponseStream, 1, r => r.Segment is not null);

        await PostAsync(nonOwner, ZoomWebhooks.Stopped(meeting.InstanceId, meeting.StreamId, stopReason: 6, Now));

        var rest = await StreamReading.ReadToEndAsync(call.ResponseStream);
        Assert.Equal(ZoomStopReason.MeetingEnded, rest[^1].Ended?.StopReason);
        var listed = await nonOwner.Client.ListSessionsAsync(new ListSessionsRequest { IncludeStopped = true });
        Assert.Equal(SessionState.Stopped, listed.Sessions.Single(s => s.RtmsStreamId == meeting.StreamId).State);
        // The owner closed its RTMS connection; nobody took the stopped stream over.
        await meeting.WaitForAsync(c => c.LiveSignalingConnections == 0);
        Assert.Equal(1, meeting.Counters.SignalingHandshakes);
    }

    [Fact]
    public async Task An_rtms_interrupted_on_a_non_owner_reconnects_the_owner_once()
    {
        var (meeting, nonOwner) = await MeetingOwnedByAAsync();
        using var call = _cluster.Replicas[0].Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        await StreamReading.ReadAsync(call.ResponseStream, 1, r => r.Segment is not null);

        var body = ZoomWebhooks.Interrupted(meeting.InstanceId, meeting.StreamId, Now);
        await PostAsync(nonOwner, body);
        using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
        await meeting.WaitForAsync(c => Accepted(c) >= 2, timeout.Token);
        await meeting.WaitForStreamingAsync(timeout.Token);

        // Zoom's retries of the same delivery, on every replica, change nothing.
        await Task.WhenAll(_cluster.Replicas.Select(r => PostAsync(r, body)));
        await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Segment is not null);
        Assert.Equal(2, Accepted(meeting.Counters));
        Assert.Equal("replica-a", await _cluster.OwnerOfAsync(meeting.StreamId));
    }

    [Fact]
    public async Task A_failover_rtms_started_on_a_non_owner_moves_the_owner_to_the_new_server_url()
    {
        var (meeting, nonOwner) = await MeetingOwnedByAAsync();
        // Zoom's new RTMS server: the same simulator under another URL.
        var failoverUrl = new UriBuilder(_cluster.Simulator.SignalingUri) { Query = "server=failover" }.Uri.ToString();

        await PostAsync(nonOwner, ZoomWebhooks.Started(meeting.InstanceId, meeting.StreamId, failoverUrl, eventTs: Now));

        using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
        await meeting.WaitForAsync(c => Accepted(c) >= 2, timeout.Token);
        await meeting.WaitForStreamingAsync(timeout.Token);
        Assert.Equal("replica-a", await _cluster.OwnerOfAsync(meeting.StreamId));

        // A retry of the original rtms_started, landing anywhere, is not a failover.
        await PostAsync(nonOwner, ZoomWebhooks.Started(meeting.InstanceId, meeting.StreamId, _cluster.Simulator.SignalingUri.ToString()));
        using var call = _cluster.Replicas[0].Client.SubscribeTranscripts(new SubscribeTranscriptsRequest { Target = new SubscriptionTarget { RtmsStreamId = meeting.StreamId } });
        await StreamReading.ReadAsync(call.ResponseStream, 3, r => r.Segment is not null);
        // (The simulator reports the abandoned connection with rtms_interrupted, which may add a reconnect; not a failover.)
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(_cluster.Replicas[0].Output, "Zoom failed over"));
    }
}

/// <summary>The same tests against one redis-server.</summary>
public sealed class WebhookRoutingTestsOnStandaloneRedis() : WebhookRoutingTests(RedisTopology.Standalone);

/// <summary>The same tests against a three-master Redis Cluster.</summary>
public sealed class WebhookRoutingTestsOnRedisCluster() : WebhookRoutingTests(RedisTopology.Cluster);
