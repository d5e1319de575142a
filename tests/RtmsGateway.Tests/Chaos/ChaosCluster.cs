using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using RtmsGateway.Api.V1;
using RtmsGateway.Simulator;
using RtmsGateway.Testing;
using RtmsGateway.Tests.Infrastructure;

namespace RtmsGateway.Tests.Chaos;

/// <summary>
/// The system under chaos: a real redis-server, N gateway replica processes each reaching Redis through its own
/// <see cref="FaultProxy"/>, and the in-process simulator (fake Zoom) whose webhooks go to a replica the run chooses
/// (as a load balancer would). Knows why each replica process ended, and replaces one that is gone.
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<GatewayReplica, ExitCause> _expectedExits = new();
    private readonly ConcurrentQueue<GatewayReplica> _retired = new();
    private readonly ChaosReport _report;

    private ChaosCluster(RedisServer redis, IReadOnlyList<ReplicaSlot> slots, RtmsSimulator simulator, ChaosReport report)
    {
        Redis = redis;
        Slots = slots;
        Simulator = simulator;
        _report = report;
    }

    public RedisServer Redis { get; }

    public IReadOnlyList<ReplicaSlot> Slots { get; }

    public RtmsSimulator Simulator { get; }

    /// <summary>Replicas running now and not told to leave.</summary>
    public IReadOnlyList<GatewayReplica> LiveReplicas =>
        [.. Slots.Where(s => s.IsLive && !_expectedExits.ContainsKey(s.Current!)).Select(s => s.Current!)];

    public static async Task<ChaosCluster> StartAsync(ChaosSettings settings, ChaosReport report)
    {
        var redis = await RedisServer.StartAsync();
        var slots = Enumerable.Range(0, settings.Replicas).Select(i => new ReplicaSlot(i, FaultProxy.Start(redis.Port, $"redis-proxy-{(char)('a' + i)}"))).ToList();
        try
        {
            await Task.WhenAll(slots.Select(async slot => slot.Current = await StartInSlotAsync(redis, slot)));
            var simulator = await RtmsSimulator.StartAsync(new SimulatorOptions
            {
                ClientId = GatewayUnderTest.ClientId,
                ClientSecret = GatewayUnderTest.ClientSecret,
                WebhookSecretToken = GatewayUnderTest.WebhookSecret,
                WebhookUrl = slots[0].Current!.WebhookUrl,
                KeepAliveInterval = TimeSpan.FromSeconds(1),
                // Zoom's own windows: a gateway that recovers at all recovers well inside them.
                SignalingReconnectWindow = TimeSpan.FromSeconds(60),
                MediaReconnectWindow = TimeSpan.FromSeconds(65),
                // Zoom retries failed webhooks (minutes apart; seconds here), e.g. one posted to a replica just killed.
                WebhookRedeliveryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)],
                DuplicateSignaling = DuplicateSignalingMode.Reject,
            });
            var cluster = new ChaosCluster(redis, slots, simulator, report);
            foreach (var slot in slots)
            {
                report.Log($"started {slot}");
            }
            return cluster;
        }
        catch
        {
            foreach (var slot in slots)
            {
                if (slot.Current is { } replica)
                {
                    await replica.DisposeAsync();
                }
                await slot.Proxy.DisposeAsync();
            }
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first replica of a slot. A start that is merely slow (a loaded machine: three .NET processes
    /// starting on two cores) is retried with a fresh process; one that exits is an error of the gateway.</summary>
    private static async Task<GatewayReplica> StartInSlotAsync(RedisServer redis, ReplicaSlot slot)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await GatewayReplica.StartAsync(slot.NextReplicaId(), ReplicaSettings(redis, slot));
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>A cluster member (as in the cluster tests: short lease, fast takeover, short keep-alive timers) that
    /// reaches Redis through its slot's proxy, streams audio and transcripts, with a small reliable subscriber queue so
    /// a slow transcript reader overflows in seconds (audio keeps the default queue: a burst of Zoom's buffered audio
    /// after a takeover fits it).</summary>
    private static Dictionary<string, string?> ReplicaSettings(RedisServer redis, ReplicaSlot slot) => new()
    {
        ["Redis:ConnectionString"] = redis.ConnectionStringVia(slot.Proxy),
        ["Redis:KeyPrefix"] = "chaos:",
        ["Redis:LeaseTtl"] = "00:00:02",
        ["Redis:TakeoverScanInterval"] = "00:00:00.300",
        ["Zoom:ClientId"] = GatewayUnderTest.ClientId,
        ["Zoom:ClientSecret"] = GatewayUnderTest.ClientSecret,
        ["Zoom:WebhookSecretToken"] = GatewayUnderTest.WebhookSecret,
        ["Zoom:AllowInsecureRtmsUrls"] = "true",
        ["Zoom:RtmsHosts:0"] = "127.0.0.1",
        ["Zoom:AllowPrivateRtmsAddresses"] = "true",
        ["Simulation:Enabled"] = "false",
        ["Rtms:MediaTypes"] = "Audio, Transcript",
        ["Rtms:ReconnectInitialDelay"] = "00:00:00.200",
        ["Rtms:ReconnectMaxDelay"] = "00:00:01",
        ["Rtms:KeepAliveTimeout"] = "00:00:04",
        ["Fanout:ReliableSubscriberQueue"] = "32",
    };

    /// <summary>Webhooks (rtms_started, rtms_interrupted, rtms_stopped, redeliveries) go to this replica from now on.</summary>
    public void RouteWebhooksTo(GatewayReplica replica) => Simulator.Options.WebhookUrl = replica.WebhookUrl;

    /// <summary>The schedule is about to end this replica: its exit is no violation, and its calls may end as the cause allows.</summary>
    public void ExpectExit(GatewayReplica replica, ExitCause cause) => _expectedExits[replica] = cause;

    /// <summary>Why <paramref name="replica"/> is gone (<see cref="ExitCause.None"/> while it runs).</summary>
    public ExitCause CauseOf(GatewayReplica replica) =>
        _expectedExits.TryGetValue(replica, out var cause) ? cause : replica.HasExited ? ExitCause.Crashed : ExitCause.None;

    /// <summary>Told to leave or gone.</summary>
    public bool IsLeaving(GatewayReplica replica) => _expectedExits.ContainsKey(replica) || replica.HasExited;

    public ReplicaSlot? SlotOf(string replicaId) => Slots.FirstOrDefault(s => s.Current?.ReplicaId == replicaId);

    public GatewayReplica? Replica(string replicaId) => Slots.Select(s => s.Current).FirstOrDefault(r => r?.ReplicaId == replicaId);

    /// <summary>Starts a fresh replica (a new id) in a slot whose replica is gone; retried until it starts. A replica that
    /// exits while starting is a violation.</summary>
    public Task ReplaceAsync(ReplicaSlot slot)
    {
        if (slot.Replacing is { IsCompleted: false } running)
        {
            return running;
        }
        var old = slot.Current;
        slot.Replacing = Task.Run(async () =>
        {
            if (old is not null)
            {
                _retired.Enqueue(old);
            }
            slot.Proxy.SetMode(ProxyMode.Pass);
            for (var attempt = 1; ; attempt++)
            {
                var id = slot.NextReplicaId();
                try
                {
                    var replica = await GatewayReplica.StartAsync(id, ReplicaSettings(Redis, slot));
                    slot.Current = replica;
                    _report.Log($"replaced {old?.ReplicaId ?? "(none)"} with {id} in slot {slot.Letter}");
                    return;
                }
                catch (InvalidOperationException ex)
                {
                    _report.Violation(ViolationKind.ReplicaDidNotStart, $"{id} exited while starting (attempt {attempt}): {Tail(ex.Message, 40)}");
                }
                catch (TimeoutException ex)
                {
                    _report.Log($"{id} not ready in time (attempt {attempt}); trying a fresh process: {Tail(ex.Message, 10)}");
                }
                if (attempt >= 5)
                {
                    _report.Log($"slot {slot.Letter} stays empty after {attempt} attempts");
                    return;
                }
            }
        });
        return slot.Replacing;
    }

    /// <summary>The sessions one replica lists (live ones), or the error it answered.</summary>
    public async Task<(IReadOnlyList<SessionInfo>? Sessions, string? Error)> ListAsync(GatewayReplica replica)
    {
        try
        {
            var response = await replica.Client.ListSessionsAsync(new ListSessionsRequest(), deadline: DateTime.UtcNow + ListTimeout);
            return (response.Sessions, null);
        }
        catch (RpcException ex)
        {
            return (null, $"{ex.StatusCode}: {ex.Status.Detail}");
        }
    }

    /// <summary>Who owns each session, as the first live replica that answers sees it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> OwnersAsync()
    {
        foreach (var replica in LiveReplicas)
        {
            if ((await ListAsync(replica)).Sessions is { } sessions)
            {
                return sessions.Where(s => s.Owner is not null).ToDictionary(s => s.RtmsStreamId, s => s.Owner.ReplicaId, StringComparer.Ordinal);
            }
        }
        return new Dictionary<string, string>();
    }

    /// <summary>Every replica process of the run (the retired ones too), with the tail of its output.</summary>
    public string Diagnostics(int lines)
    {
        var replicas = _retired.Concat(Slots.Select(s => s.Current).OfType<GatewayReplica>()).Distinct();
        return string.Join("\n", replicas.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"---- {r.ReplicaId} ({(r.HasExited ? $"exited {r.ExitCode}, {CauseOf(r)}" : "running")}), last {lines} lines ----\n{r.OutputTail(lines)}")));
    }

    /// <summary>Full output of every replica process of the run.</summary>
    public string FullOutput() =>
        string.Join("\n", _retired.Concat(Slots.Select(s => s.Current).OfType<GatewayReplica>()).Distinct().Select(r => $"---- {r.ReplicaId} ----\n{r.Output}"));

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        foreach (var slot in Slots)
        {
            if (slot.Replacing is { } replacing)
            {
                await replacing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        foreach (var replica in _retired.Concat(Slots.Select(s => s.Current).OfType<GatewayReplica>()).Distinct())
        {
            await replica.DisposeAsync();
        }
        foreach (var slot in Slots)
        {
            await slot.Proxy.DisposeAsync();
        }
        await Redis.DisposeAsync();
    }
}
