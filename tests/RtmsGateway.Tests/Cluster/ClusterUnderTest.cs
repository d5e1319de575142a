using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Cluster;

/// <summary>A real Redis (one redis-server, or a three-master Redis Cluster), a simulator, and several gateway replica
/// processes that share them.</summary>
public sealed class ClusterUnderTest : IAsyncDisposable
{
    private ClusterUnderTest(IRedisUnderTest redis, IReadOnlyList<GatewayReplica> replicas, RtmsSimulator simulator)
    {
        Redis = redis;
        Replicas = replicas;
        Simulator = simulator;
    }

    public IRedisUnderTest Redis { get; }

    public IReadOnlyList<GatewayReplica> Replicas { get; }

    public RtmsSimulator Simulator { get; }

    public HttpClient Http { get; } = new();

    /// <param name="extra">Settings every replica gets on top of the cluster's own.</param>
    public static async Task<ClusterUnderTest> StartAsync(int replicas = 3, IDictionary<string, string?>? extra = null, RedisTopology topology = RedisTopology.Standalone)
    {
        IRedisUnderTest redis = topology switch
        {
            RedisTopology.Cluster => await RedisClusterServer.StartAsync(),
            RedisTopology.ClusterWithReplicas => await RedisClusterServer.StartAsync(replicasPerMaster: 1),
            _ => await RedisServer.StartAsync(),
        };
        var started = await Task.WhenAll(Enumerable.Range(0, replicas)
            .Select(i => GatewayReplica.StartAsync($"replica-{(char)('a' + i)}", With(ReplicaSettings(redis), extra))));
        var simulator = await RtmsSimulator.StartAsync(new SimulatorOptions
        {
            ClientId = GatewayUnderTest.ClientId,
            ClientSecret = GatewayUnderTest.ClientSecret,
            WebhookSecretToken = GatewayUnderTest.WebhookSecret,
            WebhookUrl = started[0].WebhookUrl,
            KeepAliveInterval = TimeSpan.FromMilliseconds(500),
            SignalingReconnectWindow = TimeSpan.FromSeconds(30),
            MediaReconnectWindow = TimeSpan.FromSeconds(30),
        });
        return new ClusterUnderTest(redis, started, simulator);
    }

    /// <summary>The key prefix every replica uses.</summary>
    public const string KeyPrefix = "cluster-test:";

    /// <summary>A cluster member: shared Redis, the simulator's credentials, short timers so failover takes seconds.</summary>
    private static Dictionary<string, string?> ReplicaSettings(IRedisUnderTest redis) => new()
    {
        ["Redis:ConnectionString"] = redis.ConnectionString,
        ["Redis:KeyPrefix"] = KeyPrefix,
        ["Redis:LeaseTtl"] = "00:00:02",
        ["Redis:TakeoverScanInterval"] = "00:00:00.300",
        ["Zoom:ClientId"] = GatewayUnderTest.ClientId,
        ["Zoom:ClientSecret"] = GatewayUnderTest.ClientSecret,
        ["Zoom:WebhookSecretToken"] = GatewayUnderTest.WebhookSecret,
        ["Zoom:AllowInsecureRtmsUrls"] = "true",
        // The simulator listens on loopback: a test (or a local lab) must say so; production allows only Zoom's domains.
        ["Zoom:RtmsHosts:0"] = "127.0.0.1",
        ["Zoom:AllowPrivateRtmsAddresses"] = "true",
        ["Simulation:Enabled"] = "false",
        ["Rtms:ReconnectInitialDelay"] = "00:00:00.200",
        ["Rtms:ReconnectMaxDelay"] = "00:00:01",
        ["Rtms:KeepAliveTimeout"] = "00:00:03",
    };

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, IDictionary<string, string?>? extra)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    public GatewayReplica Replica(string replicaId) => Replicas.Single(r => r.ReplicaId == replicaId);

    /// <summary>Adds a meeting and sends its rtms_started to <paramref name="via"/> (default: the first replica).</summary>
    public async Task<SimulatedMeeting> StartMeetingAsync(GatewayReplica? via = null)
    {
        var meeting = Simulator.AddMeeting(new MeetingOptions { TranscriptInterval = TimeSpan.FromMilliseconds(200) });
        using var timeout = new CancellationTokenSource(StreamReading.DefaultTimeout);
        if (via is null)
        {
            await meeting.StartAsync(timeout.Token);
        }
        else
        {
            meeting.Begin();
            var response = await ZoomWebhooks.PostAsync(Http, via.WebhookUrl, ZoomWebhooks.Started(meeting.InstanceId, meeting.StreamId, Simulator.SignalingUri.ToString()));
            response.EnsureSuccessStatusCode();
        }
        await meeting.WaitForStreamingAsync(timeout.Token);
        return meeting;
    }

    /// <summary>The replica that owns a stream, per the cluster-wide session list.</summary>
    public async Task<string> OwnerOfAsync(string streamId, GatewayReplica? ask = null)
    {
        var replica = ask ?? Replicas.First(r => !r.HasExited);
        var sessions = await replica.Client.ListSessionsAsync(new Api.V1.ListSessionsRequest());
        return sessions.Sessions.Single(s => s.RtmsStreamId == streamId).Owner.ReplicaId;
    }

    public string Diagnostics() => string.Join("\n", Replicas.Select(r => $"---- {r.ReplicaId} ----\n{r.Output}"));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }
        await Redis.DisposeAsync();
    }
}
