using Grpc.Net.Client;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;

namespace RtmsGateway.Benchmarks.Harness;

/// <summary>
/// What a benchmark runs against: gateway process(es) built in Release (optionally a cluster on a real redis-server)
/// and an in-process simulator that stamps every audio payload with its send time.
/// </summary>
internal sealed class GatewayRig : IAsyncDisposable
{
    public const string ClientId = "bench-client";
    public const string ClientSecret = "bench-client-secret";
    public const string WebhookSecret = "bench-webhook-secret";

    private readonly List<GrpcChannel> _channels = [];

    private GatewayRig(RtmsSimulator simulator, IReadOnlyList<GatewayReplica> gateways, RedisServer? redis)
    {
        Simulator = simulator;
        Gateways = gateways;
        Redis = redis;
    }

    public RtmsSimulator Simulator { get; }

    public IReadOnlyList<GatewayReplica> Gateways { get; }

    public RedisServer? Redis { get; }

    /// <param name="gatewayDll">The gateway build under test (null: the working tree's).</param>
    public static async Task<GatewayRig> StartAsync(int replicas, bool cluster, string? gatewayDll = null)
    {
        var redis = cluster ? await RedisServer.StartAsync() : null;
        var gateways = await Task.WhenAll(Enumerable.Range(0, replicas).Select(i => GatewayReplica.StartAsync($"bench-{i}", Settings(redis), serverGc: Environment.GetEnvironmentVariable("BENCH_SERVER_GC") != "0", gatewayDll)));
        var simulator = await RtmsSimulator.StartAsync(new SimulatorOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            WebhookSecretToken = WebhookSecret,
            WebhookUrl = gateways[0].WebhookUrl,
            EmbedSendTimestamps = true,
            // Starting hundreds of meetings saturates this machine for a while; the benchmark measures streaming, so a
            // webhook answered late must not count as lost (Zoom would retry it minutes later).
            WebhookResponseTimeout = TimeSpan.FromSeconds(30),
            // Under the load of a thousand meetings on two cores a client may need more than Zoom's 10 s to send its handshake.
            HandshakeTimeout = TimeSpan.FromSeconds(60),
        });
        return new GatewayRig(simulator, gateways, redis);
    }

    /// <summary>A client with its own HTTP/2 connections (more open as streams exceed one connection's limit).</summary>
    public RtmsGatewayService.RtmsGatewayServiceClient Client(GatewayReplica gateway) => new(Invoker(gateway));

    /// <summary>A call invoker with its own HTTP/2 connections, for hand-made methods (<see cref="LeanAudioSubscriber"/>).</summary>
    public global::Grpc.Core.CallInvoker Invoker(GatewayReplica gateway)
    {
        var channel = GrpcChannel.ForAddress(gateway.GrpcUrl, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        _channels.Add(channel);
        return channel.CreateCallInvoker();
    }

    /// <summary>Starts meetings (webhooks to the first gateway) 50 at a time, each batch streaming before the next starts.</summary>
    public async Task<List<SimulatedMeeting>> StartMeetingsAsync(int count)
    {
        var meetings = Enumerable.Range(0, count).Select(_ => Simulator.AddMeeting(new MeetingOptions { Participants = 3 })).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        foreach (var batch in meetings.Chunk(50))
        {
            await Task.WhenAll(batch.Select(m => m.StartAsync(timeout.Token)));
            await Task.WhenAll(batch.Select(m => m.WaitForStreamingAsync(timeout.Token)));
        }
        return meetings;
    }

    private static Dictionary<string, string?> Settings(RedisServer? redis)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Zoom:ClientId"] = ClientId,
            ["Zoom:ClientSecret"] = ClientSecret,
            ["Zoom:WebhookSecretToken"] = WebhookSecret,
            ["Zoom:AllowInsecureRtmsUrls"] = "true",
            // The simulator listens on loopback: a test (or a local lab) must say so; production allows only Zoom's domains.
            ["Zoom:RtmsHosts:0"] = "127.0.0.1",
            ["Zoom:AllowPrivateRtmsAddresses"] = "true",
            ["Simulation:Enabled"] = "false",
            ["Fanout:ReplayRetention"] = Environment.GetEnvironmentVariable("BENCH_RETENTION") ?? "00:00:02",
            ["Fanout:MaxSubscribersPerSession"] = "5000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (redis is not null)
        {
            settings["Redis:ConnectionString"] = redis.ConnectionString;
            settings["Redis:LeaseTtl"] = "00:00:02";
            settings["Redis:TakeoverScanInterval"] = "00:00:00.250";
            settings["Rtms:ReconnectInitialDelay"] = "00:00:00.200";
        }
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        await Simulator.DisposeAsync();
        foreach (var gateway in Gateways)
        {
            await gateway.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
